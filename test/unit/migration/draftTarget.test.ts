import { parseCommand } from '../../../src/migration/commandParser';
import { draftEventId, missingPrivileges, planDraft, type DraftEventsPort } from '../../../src/migration/draftTarget';
import { eventCreateFrom } from '../../../src/dataverse/privileges';

const OUTBOUND = '11111111-1111-4111-8111-111111111111';

describe('migrate <outbound id> new', () => {
  it('parses the word new as the target, in any case, with an environment as today', () => {
    expect(parseCommand(`migrate ${OUTBOUND} new`)).toEqual({ kind: 'migrate_new', fromEventId: OUTBOUND });
    expect(parseCommand(`migrate {${OUTBOUND.toUpperCase()}} NEW in test`)).toEqual({
      kind: 'migrate_new',
      fromEventId: OUTBOUND,
      environment: 'test',
    });
    expect(parseCommand('migrate not-a-guid new')).toMatchObject({
      kind: 'invalid',
      problem: { kind: 'not_a_guid', which: 'outbound' },
    });
    expect(parseCommand(`migrate ${OUTBOUND} newer`)).toMatchObject({
      kind: 'invalid',
      problem: { kind: 'not_a_guid', which: 'real-time' },
    });
  });

  it('derives one GUID (version 5) per job id, the same every time', () => {
    const a = draftEventId('job-a');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(draftEventId('job-a')).toBe(a);
    expect(draftEventId('job-b')).not.toBe(a);
  });

  it('reads Create and Write on msevtmgt_event at any depth from RetrieveUserPrivileges', () => {
    const answer = (names: string[]) => ({
      RolePrivileges: names.map((PrivilegeName) => ({ PrivilegeName, Depth: 'Basic' })),
    });
    expect(eventCreateFrom(answer(['prvCreatemsevtmgt_Event', 'prvWritemsevtmgt_Event']))).toEqual({
      create: true,
      write: true,
    });
    expect(eventCreateFrom(answer(['prvReadmsevtmgt_Event', 'prvWritemsevtmgt_Event']))).toEqual({
      create: false,
      write: true,
    });
    expect(missingPrivileges({ create: false, write: false })).toEqual(['Create', 'Write']);
  });

  it('refuses before any request without Dataverse, without the privileges, or for a real-time source', async () => {
    const spec = { name: 'Summit', startDate: null, endDate: null, timeZone: null };
    const port = (over: Partial<DraftEventsPort>): DraftEventsPort => ({
      sourceEvent: async () => ({ ok: true, value: { ...spec, realTime: false } }),
      createPrivileges: async () => ({ ok: true, value: { create: true, write: true } }),
      exists: async () => ({ ok: true, value: false }),
      create: async () => ({ kind: 'created' }),
      link: (id) => id,
      ...over,
    });
    expect(await planDraft(undefined, OUTBOUND)).toEqual({ ok: false, refusal: { kind: 'no_dataverse' } });
    expect(
      await planDraft(
        port({ createPrivileges: async () => ({ ok: true, value: { create: true, write: false } }) }),
        OUTBOUND,
      ),
    ).toEqual({ ok: false, refusal: { kind: 'no_privilege', missing: ['Write'] } });
    expect(
      await planDraft(port({ sourceEvent: async () => ({ ok: true, value: { ...spec, realTime: true } }) }), OUTBOUND),
    ).toEqual({ ok: false, refusal: { kind: 'source_real_time', name: 'Summit' } });
    expect(await planDraft(port({ sourceEvent: async () => ({ ok: true, value: undefined }) }), OUTBOUND)).toEqual({
      ok: false,
      refusal: { kind: 'source_not_found', id: OUTBOUND },
    });
    expect(await planDraft(port({}), OUTBOUND)).toEqual({ ok: true, spec });
  });
});
