import { FilterSyntaxError, parseFilter } from '../../../src/sim/dataverse/odataFilter';

const rows = [
  { id: 1, _ev_value: 'aaaaaaaa-0000-4000-8000-000000000001', name: "O'Brien Summit", cancelled: false },
  { id: 2, _ev_value: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Registration created', cancelled: true },
  { id: 3, _ev_value: 'aaaaaaaa-0000-4000-8000-000000000002', name: null, cancelled: null },
];
const ids = (filter: string) => rows.filter(parseFilter(filter)).map((r) => r.id);

describe('the simulated $filter', () => {
  it.each([
    ['_ev_value eq AAAAAAAA-0000-4000-8000-000000000001', [1, 2]],
    ['_ev_value eq aaaaaaaa-0000-4000-8000-000000000001 and (cancelled eq false or cancelled eq null)', [1]],
    ["contains(name,'REGISTRATION')", [2]],
    ["contains(name,'o''brien')", [1]],
    ['name eq null', [3]],
    ['not (cancelled eq true)', [1, 3]],
    ['id eq 1 or id eq 3', [1, 3]],
    ["name eq 'registration created'", [2]],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it.each(['id gt 1', 'id eq', 'contains(name)', '(id eq 1', 'id eq 1 xor id eq 2'])('refuses %s', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterSyntaxError);
  });
});
