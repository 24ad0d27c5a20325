/**
 * The benchmark's table, printed from a results report: `npm run bench` prints it at the
 * end of a run, and `npx tsx bench/table.ts bench/results/latest-sqlite.json` prints a
 * saved one again.
 */
import fs from 'node:fs';

export type Figure = {
  key: string;
  label: string;
  unit: string;
  value: number | null;
  baseline?: { label: string; value: number | null };
  /** baseline ÷ Kelei for times, Kelei ÷ baseline for rates: above 1 means Kelei is faster */
  ratio?: number | null;
  target?: string;
  detail?: Record<string, unknown>;
  peakRssMb?: number;
  /** CPU time of this process during the step: steadier than wall time on a busy machine */
  cpuSeconds?: number;
};

export type Report = {
  engine: string;
  dataset: string;
  customers: number;
  orderRows: number;
  asOf: string;
  machine: { cores: number; memoryGiB: number; loadAverage: number[] };
  versions: { node: string };
  processPeakRssMb: number;
  figures: Figure[];
};

function format(f: Figure, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (f.unit === 'rows/s' || f.unit === 'requests/s') return Math.round(v).toLocaleString('en-US');
  if (f.unit === 'KB') return v.toFixed(0);
  return v < 10 ? v.toFixed(2) : v.toFixed(1);
}

const WIDTHS = [46, 12, 36, 9, 14, 8, 8];

function line(cells: string[], labelWidth: number): void {
  const widths = [labelWidth, ...WIDTHS.slice(1)];
  console.log(
    cells.map((c, i) => (i === 0 || i === 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' '),
  );
}

/** Prints one table: every figure beside its baseline, ratio, target, peak RSS and CPU time. */
export function printReport(report: Report): void {
  const { machine } = report;
  console.log(
    `Kelei bench — ${report.engine}, ${report.dataset}: ${report.customers.toLocaleString('en-US')} customers, ${report.orderRows.toLocaleString('en-US')} order rows, as of ${report.asOf}; ${machine.cores} cores, ${machine.memoryGiB} GiB, load ${machine.loadAverage.join(' ')}, Node ${report.versions.node}`,
  );
  const width = Math.max(WIDTHS[0], ...report.figures.map((f) => f.label.length));
  line(['figure', 'Kelei', 'baseline', 'ratio', 'target', 'RSS MB', 'CPU s'], width);
  for (const f of report.figures) {
    line(
      [
        f.label,
        format(f, f.value),
        f.baseline ? `${format(f, f.baseline.value)} ${f.baseline.label}` : '',
        f.ratio === undefined || f.ratio === null ? '' : `${f.ratio.toFixed(2)}×`,
        f.target ?? '',
        f.peakRssMb === undefined ? '' : String(f.peakRssMb),
        f.cpuSeconds === undefined ? '' : f.cpuSeconds.toFixed(1),
      ],
      width,
    );
  }
  line(['process peak RSS (MB)', String(report.processPeakRssMb), '', '', '≤ 1024', '', ''], width);
  console.log(
    'ratio: Kelei against the baseline, above 1 = Kelei faster; RSS MB: peak during the step; CPU s: this process, worker threads included',
  );
}

if (process.argv[1]?.endsWith('table.ts') && process.argv[2]) {
  printReport(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Report);
}
