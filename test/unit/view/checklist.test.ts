import { ALL_TICKED, CHECKLIST, REPLACE_TOGGLE_ID, readChecklist } from '../../../src/migration/checklist';

const allIds = CHECKLIST.map((item) => item.id);

describe('readChecklist', () => {
  it("takes the checklist's own all-ticked answer as complete", () => {
    expect(readChecklist({ ...ALL_TICKED })).toEqual({ missing: [], replaceRunning: false });
    expect(Object.keys(ALL_TICKED)).toEqual(allIds);
  });

  it('reads the strings Teams sends for Input.Toggle', () => {
    const data: Record<string, unknown> = { jobId: 'j', [REPLACE_TOGGLE_ID]: 'false' };
    for (const id of allIds) data[id] = 'true';
    data[allIds[1]] = 'false';
    expect(readChecklist(data)).toEqual({
      missing: [allIds[1]],
      replaceRunning: false,
    });
  });

  it('treats a toggle Teams did not send as unticked', () => {
    const answer = readChecklist({ jobId: 'j', [allIds[0]]: 'true' });
    expect(answer.missing).toEqual(allIds.slice(1));
    expect(answer.replaceRunning).toBe(false);
  });

  it('accepts booleans and the replace toggle', () => {
    const data: Record<string, unknown> = { [REPLACE_TOGGLE_ID]: true };
    for (const id of allIds) data[id] = true;
    expect(readChecklist(data)).toEqual({ missing: [], replaceRunning: true });
  });

  it('does not count anything but "true" as ticked', () => {
    const data: Record<string, unknown> = {};
    allIds.forEach((id, i) => (data[id] = ['1', 'yes', 'on', 'FALSE'][i]));
    expect(readChecklist({ ...data, [REPLACE_TOGGLE_ID]: 'yes' })).toEqual({
      missing: allIds,
      replaceRunning: false,
    });
  });
});
