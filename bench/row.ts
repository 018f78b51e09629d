/** One line of the result table: a figure of the bot beside the same figure of its baseline, and the target. */
export interface Row {
  benchmark: string;
  measure: string;
  unit: string;
  bot: number;
  baseline: number;
  baselineName: string;
  /** the target in words, e.g. "< 25 ms" */
  target: string;
  /** undefined when the figure has no target of its own */
  met?: boolean;
}

export interface BenchResult {
  rows: Row[];
  /** anything else worth keeping in the JSON (sample counts, accepted approvals...) */
  details: Record<string, unknown>;
}
