/** Geometry for the build-time SVG bar charts on /stats/ (no charting code reaches the browser). */
export type Bar = { label: string; value: number };

export type BarLayout = {
  width: number;
  height: number;
  labelWidth: number;
  rows: Array<Bar & { y: number; barWidth: number; text: string }>;
};

const ROW = 26;
const WIDTH = 560;

/** The first `limit` bars, laid out as horizontal bars scaled to the largest value. */
export function layoutBars(bars: Bar[], limit = 12): BarLayout {
  const shown = bars.slice(0, limit);
  const labelWidth = Math.min(220, Math.max(60, ...shown.map((bar) => Math.min(bar.label.length, 32) * 7.5 + 12)));
  const max = Math.max(1, ...shown.map((bar) => bar.value));
  const plot = WIDTH - labelWidth - 56;
  return {
    width: WIDTH,
    height: shown.length * ROW + 8,
    labelWidth,
    rows: shown.map((bar, index) => ({
      ...bar,
      y: 4 + index * ROW,
      barWidth: Math.max(2, Math.round((bar.value / max) * plot)),
      text: bar.label.length > 32 ? `${bar.label.slice(0, 31)}…` : bar.label,
    })),
  };
}

/** Counts of each value, largest first (ties by label). */
export function countBy<T>(items: readonly T[], valuesOf: (item: T) => string[]): Bar[] {
  const counts = new Map<string, number>();
  for (const item of items) for (const value of valuesOf(item)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, 'en'));
}
