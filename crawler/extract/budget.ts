/**
 * A time budget for extraction. Extraction is synchronous JavaScript, so a budget cannot interrupt it:
 * it is checked between steps (code cells, notebooks) and turns into early stops, each reported as a
 * warning, never a hang. What keeps every step itself short is construction: capped inputs and linear
 * patterns (see imports/index.ts).
 */
export class Budget {
  private readonly started: number;
  private readonly stops: string[] = [];

  constructor(
    readonly ms: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.started = clock();
  }

  get elapsed(): number {
    return this.clock() - this.started;
  }

  get exhausted(): boolean {
    return this.elapsed > this.ms;
  }

  /** Records that a step stopped early, and where. */
  stop(where: string): void {
    this.stops.push(where);
  }

  get stopped(): readonly string[] {
    return this.stops;
  }
}

let current: Budget | null = null;

/** Runs synchronous `work` with `budget` as the one steps check (nothing else can run meanwhile). */
export function withBudget<T>(budget: Budget, work: () => T): T {
  const outer = current;
  current = budget;
  try {
    return work();
  } finally {
    current = outer;
  }
}

/** The budget of the extraction running now, if any. */
export function currentBudget(): Budget | null {
  return current;
}

/** Default budgets: one notebook, and all notebooks of one repository (milliseconds). */
export const BUDGET_DEFAULTS = { notebookMs: 10_000, repositoryMs: 300_000 } as const;

export type BudgetOptions = {
  /** Time one notebook's extraction may take before its remaining steps are skipped (ms). */
  notebookBudgetMs?: number;
  /** Time all notebooks of a repository may take; notebooks started after it get minimal records (ms). */
  repositoryBudgetMs?: number;
  /** The clock budgets read (tests make time pass). */
  clock?: () => number;
};

/** What a spent notebook budget becomes on the workflow: one warning (none when within budget). */
export function budgetWarning(budget: Budget): string | null {
  if (budget.stopped.length === 0 && !budget.exhausted) return null;
  const stops = budget.stopped.length > 0 ? `: ${budget.stopped.join('; ')}` : '';
  return `extraction took ${Math.round(budget.elapsed)} ms, over its ${budget.ms} ms budget${stops}`;
}
