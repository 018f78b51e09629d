/** The simulators, for tests and `npm run sim`: the Events API, and the Dataverse of the same organisation. */
export { startSimulator, DEFAULT_ORG_ID, DEFAULT_SIM_TOKEN } from './simulator';
export type { Simulator, SimulatorOptions, SimClock, RecordedCall } from './simulator';
export { STATUS_VARIANTS, isStatusVariant } from './variants';
export type { StatusVariant } from './variants';
export { SIM_OUTCOMES } from './job';
export type { SimOutcome, SimJobState, SimJobView } from './job';
export type { Fault, FaultTarget } from './faults';
export { startOrganisation, SIM_APP } from './organisation';
export type { SimOrganisation, SimOrganisationOptions } from './organisation';
export { startDataverseSimulator } from './dataverse/server';
export type { SimDataverse, SimDataverseOptions, SimDataverseFault, PrivilegeDepth } from './dataverse/server';
export { startTokenServer } from './dataverse/tokenServer';
export type { TokenServer, SimAppRegistration } from './dataverse/tokenServer';
export { SEED as DATAVERSE_SEED } from './dataverse/seed';
