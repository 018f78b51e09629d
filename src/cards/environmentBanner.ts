import type { EnvironmentMark } from '../migration/environments';
import type { AdaptiveCardJson } from './renderCard';

/**
 * A production environment's card opens with an attention-styled container saying so, whatever the template:
 * the one look an approver cannot miss before clicking Approve on the wrong environment.
 */
export function withProductionBanner(
  card: AdaptiveCardJson,
  environment: EnvironmentMark | undefined,
): AdaptiveCardJson {
  if (!environment?.production) return card;
  const banner = {
    type: 'Container',
    style: 'attention',
    bleed: true,
    items: [
      {
        type: 'TextBlock',
        text: `Production: ${environment.name}`,
        weight: 'Bolder',
        size: 'Medium',
        color: 'Attention',
        wrap: true,
      },
    ],
  };
  return { ...card, body: [banner, ...(card.body ?? [])] };
}
