/** The Events API simulator, for tests and `npm run sim`. */
export { startSimulator, DEFAULT_ORG_ID, DEFAULT_SIM_TOKEN } from './simulator';
export type { Simulator, SimulatorOptions, SimClock, RecordedCall } from './simulator';
export { STATUS_VARIANTS, isStatusVariant } from './variants';
export type { StatusVariant } from './variants';
export { SIM_OUTCOMES } from './job';
export type { SimOutcome, SimJobState, SimJobView } from './job';
export type { Fault, FaultTarget } from './faults';
