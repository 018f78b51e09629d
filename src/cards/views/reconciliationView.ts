import type { Job } from '../../migration/types';
import { reconciliationFacts, reconciliationText } from '../../words/catalogue';

/** Source against target in Dataverse on the review and failure cards; nothing without a reconciliation. */
export function reconciliationData(job: Job) {
  const r = job.reconciliation;
  if (!r) return {};
  return {
    showReconciliation: true,
    reconciliationText: reconciliationText(r),
    reconciliationFacts: reconciliationFacts(r),
  };
}
