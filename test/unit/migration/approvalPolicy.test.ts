import {
  mayApprove,
  mayCancel,
  mayForget,
  samePerson,
  type ApprovalRules,
  type PolicyDecision,
} from '../../../src/migration/approvalPolicy';
import type { Job, Person } from '../../../src/migration/types';
import { policyText } from '../../../src/words/catalogue';

/** A decision with the words the person reads for it. */
const said = (d: PolicyDecision) => (d.ok ? d : { ok: false, message: policyText(d) });

const ADA: Person = { id: '29:ada', name: 'Ada', aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001' };
const BEN: Person = { id: '29:ben', name: 'Ben', aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002' };
const CAT: Person = { id: '29:cat', name: 'Cat', aadObjectId: 'cccccccc-0000-4000-8000-000000000003' };

const requestedBy = (p: Person) => ({ requestedBy: p }) as Job;
const anyone: ApprovalRules = { approverIds: [], requireSecondApprover: false };
const onlyBen: ApprovalRules = { approverIds: [BEN.aadObjectId!], requireSecondApprover: false };
const fourEyes: ApprovalRules = { approverIds: [], requireSecondApprover: true };

describe('mayApprove', () => {
  it('lets anyone approve, the requester included, when no rule is set', () => {
    expect(mayApprove(requestedBy(ADA), ADA, anyone)).toEqual({ ok: true });
    expect(mayApprove(requestedBy(ADA), CAT, anyone)).toEqual({ ok: true });
  });

  it('lets only listed approvers approve, matching the Entra object id in any case', () => {
    expect(mayApprove(requestedBy(ADA), { ...BEN, aadObjectId: BEN.aadObjectId!.toUpperCase() }, onlyBen)).toEqual({
      ok: true,
    });
    const refused = mayApprove(requestedBy(ADA), CAT, onlyBen);
    expect(said(refused)).toEqual({
      ok: false,
      message: expect.stringMatching(/Cat, you are not in the approver list \(APPROVER_IDS\)/),
    });
  });

  it('refuses someone without an Entra object id when a list is set', () => {
    expect(mayApprove(requestedBy(ADA), { id: '29:guest', name: 'Guest' }, onlyBen).ok).toBe(false);
  });

  it('refuses the requester under the four-eyes rule, and no one else', () => {
    const refused = mayApprove(requestedBy(ADA), ADA, fourEyes);
    expect(said(refused)).toEqual({ ok: false, message: expect.stringMatching(/second person must approve/) });
    expect(mayApprove(requestedBy(ADA), BEN, fourEyes)).toEqual({ ok: true });
  });

  it('recognises the requester by object id even when the Teams id differs (another client)', () => {
    expect(mayApprove(requestedBy(ADA), { ...ADA, id: '29:ada-on-mobile' }, fourEyes).ok).toBe(false);
  });

  it('checks both rules together: a listed approver who asked still cannot approve their own request', () => {
    const both: ApprovalRules = { approverIds: [ADA.aadObjectId!, BEN.aadObjectId!], requireSecondApprover: true };
    expect(mayApprove(requestedBy(ADA), ADA, both).ok).toBe(false);
    expect(mayApprove(requestedBy(ADA), BEN, both).ok).toBe(true);
  });
});

describe('mayCancel', () => {
  it('lets the requester withdraw even when not an approver', () => {
    expect(mayCancel(requestedBy(CAT), CAT, onlyBen)).toEqual({ ok: true });
  });

  it('lets a listed approver turn a request down', () => {
    expect(mayCancel(requestedBy(ADA), BEN, onlyBen)).toEqual({ ok: true });
  });

  it('refuses anyone else when a list is set, and says who can', () => {
    expect(said(mayCancel(requestedBy(ADA), CAT, onlyBen))).toEqual({
      ok: false,
      message: expect.stringMatching(/only the requester or an approver/),
    });
  });

  it('lets anyone cancel when no list is set', () => {
    expect(mayCancel(requestedBy(ADA), CAT, anyone)).toEqual({ ok: true });
  });
});

describe('samePerson', () => {
  it('falls back to the Teams id when an object id is missing', () => {
    expect(samePerson({ id: '29:x', name: 'X' }, { id: '29:x', name: 'Other name' })).toBe(true);
    expect(samePerson({ id: '29:x', name: 'X' }, { id: '29:y', name: 'X' })).toBe(false);
  });
});

describe('mayForget', () => {
  it('lets anyone who could approve stop following a job when no approver list is set, requester included', () => {
    expect(mayForget(CAT, anyone)).toEqual({ ok: true });
    expect(mayForget(ADA, fourEyes)).toEqual({ ok: true });
  });

  it('lets only listed approvers when there is a list, and tells the others why', () => {
    expect(mayForget(BEN, onlyBen)).toEqual({ ok: true });
    expect(said(mayForget(CAT, onlyBen))).toEqual({
      ok: false,
      message: 'Cat, only an approver (APPROVER_IDS) can stop following a migration. Nothing was changed.',
    });
    expect(said(mayForget({ id: '29:x', name: 'X' }, onlyBen))).toMatchObject({ ok: false });
  });
});
