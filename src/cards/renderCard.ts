import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { errorsNote } from '../words/catalogue';
import type { CardTemplateName } from './views/jobCard';
import { packageRoot } from './packageRoot';

/** Binds the JSON templates in cards/ to the data the views (./views) produce. No Teams SDK here. */

export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  version: string;
  $schema?: string;
  body?: unknown[];
  actions?: unknown[];
  [key: string]: unknown;
}

/** 28 KB is the card size every Teams client accepts. */
export const MAX_CARD_BYTES = 28 * 1024;

/**
 * A Template parses every `${...}` of its payload once, when constructed, and can then be bound again and
 * again; parsing was most of the cost of a card, so each template is built once per process.
 */
const templates = new Map<CardTemplateName, ACData.Template>();

function template(name: CardTemplateName): ACData.Template {
  let tpl = templates.get(name);
  if (tpl === undefined) {
    tpl = new ACData.Template(JSON.parse(readFileSync(join(packageRoot(), 'cards', `${name}.json`), 'utf8')));
    templates.set(name, tpl);
  }
  return tpl;
}

function bind(name: CardTemplateName, data: object): AdaptiveCardJson {
  const card = template(name).expand({ $root: data }) as AdaptiveCardJson;
  // A top-level part left out by `$when` (the refresh section) binds to null; clients expect it absent.
  for (const key of Object.keys(card)) if (card[key] === null) delete card[key];
  return card;
}

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

export function renderCard(name: CardTemplateName, data: object): AdaptiveCardJson {
  let card = bind(name, data);
  let current = data as Record<string, unknown>;
  // Only the error list can grow without bound; halve it until the card fits, and say how many are shown.
  while (cardBytes(card) > MAX_CARD_BYTES && Array.isArray(current.errors) && current.errors.length > 0) {
    const kept = current.errors.slice(0, Math.floor(current.errors.length / 2));
    const total = typeof current.errorsTotal === 'number' ? current.errorsTotal : current.errors.length;
    current = {
      ...current,
      errors: kept,
      showErrors: kept.length > 0,
      showErrorsNote: true,
      errorsNote: errorsNote(kept.length, total),
    };
    card = bind(name, current);
  }
  return card;
}
