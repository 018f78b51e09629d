import { withProductionBanner } from '../../cards/environmentBanner';
import { renderCard } from '../../cards/renderCard';
import { pickerCard, type PickerInput } from '../../cards/views/pickerView';
import type { EnvironmentMark } from '../../migration/environments';
import { MAX_SEARCH_RESULTS, type EventDirectoryPort } from '../../migration/eventDirectory';

/** The picker card with its static choices: the most recent events of each list, read in parallel. */
export async function pickerCardJson(
  directory: EventDirectoryPort,
  input: Omit<PickerInput, 'outbound' | 'drafts' | 'environment'>,
  mark: EnvironmentMark | undefined,
): Promise<Record<string, unknown>> {
  const recent = { text: '', top: MAX_SEARCH_RESULTS };
  const [outbound, drafts] = await Promise.all([
    directory.search('outbound', recent),
    directory.search('blank_draft', recent),
  ]);
  const { template, data } = pickerCard({ ...input, environment: mark?.name, outbound, drafts });
  return withProductionBanner(renderCard(template, data), mark) as Record<string, unknown>;
}
