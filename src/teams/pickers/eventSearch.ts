import type { SearchInvokeResponse, SearchInvokeValue, TurnContext } from 'botbuilder';
import { choicesOf, NEW_DRAFT_VALUE, parseDataset, type Choice } from '../../cards/views/pickerView';
import type { Environment } from '../../migration/environments';
import { searchWindow, type EventList } from '../../migration/eventDirectory';
import * as words from '../../words/eventText';
import type { BotDeps } from '../botDeps';
import { errorInvokeResponse } from '../cardMessage';

/**
 * A picker's type-ahead (`application/search`): one search of the list the dataset names, answered in the shape
 * Teams shows as choices. botbuilder has already answered an empty queryText with 400; the card's own static
 * choices cover that.
 */
export async function answerSearch(
  deps: BotDeps,
  _turn: TurnContext,
  value: SearchInvokeValue,
): Promise<SearchInvokeResponse> {
  const parsed = parseDataset(value.dataset);
  if (!parsed) return errorInvokeResponse(400, 'UnknownDataset', words.unknownDataset(String(value.dataset)));
  const environment = environmentOf(deps, parsed.environment);
  if (!environment) return errorInvokeResponse(400, 'UnknownEnvironment', words.unknownDataset(String(value.dataset)));
  if (!environment.directory) return errorInvokeResponse(503, 'NeedsDataverse', words.NEEDS_DATAVERSE);
  const options = value.queryOptions ?? { skip: 0, top: 0 };
  const text = String(value.queryText ?? '');
  // Teams shows at most 15 choices: "a new draft" takes one of them.
  const extra = newDraftChoice(parsed.list, text, options.skip);
  const top = searchWindow(options).top - extra.length;
  const found = await environment.directory.search(parsed.list, { text, skip: options.skip, top });
  if (!found.ok) {
    deps.logger.warn({ list: parsed.list, why: found.why }, 'picker search failed');
    return errorInvokeResponse(503, 'DataverseUnavailable', words.searchFailed(found.why));
  }
  const results = [...extra, ...choicesOf(parsed.list, found.value)];
  deps.logger.debug({ list: parsed.list, results: results.length }, 'picker search');
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.search.searchResponse',
    value: { results } as unknown as Record<string, unknown>,
  };
}

/** The dataset names the environment when there are several; with one, it names none. */
function environmentOf(deps: BotDeps, name: string | undefined): Environment | undefined {
  if (name !== undefined) return deps.environments.named(name);
  return deps.environments.several ? undefined : deps.environments.all()[0];
}

/** "A new draft" stays findable on the first page when what is typed is part of its words. */
function newDraftChoice(list: EventList, text: string, skip: number | undefined): Choice[] {
  if (list !== 'blank_draft' || (skip ?? 0) > 0) return [];
  return words.NEW_DRAFT_TITLE.toLowerCase().includes(text.trim().toLowerCase())
    ? [{ title: words.NEW_DRAFT_TITLE, value: NEW_DRAFT_VALUE }]
    : [];
}
