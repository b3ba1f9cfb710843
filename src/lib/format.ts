// Display formats shared by the admin pages (one place, so the KPI cards, table and charts agree).

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatInt(n: number): string {
  return int.format(Math.round(n));
}

/** Seconds as "1h 02m", "4m 05s" or "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

/** Watch time in hours with one decimal ("1,234.5 h"). */
export function formatHours(seconds: number): string {
  return `${oneDecimal.format(seconds / 3600)} h`;
}

/** A ratio 0–1 as a percentage with up to two decimals ("4.17%"). */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  const digits = pct !== 0 && Math.abs(pct) < 10 ? 2 : 1;
  return `${pct.toFixed(digits)}%`;
}

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

const dateTime = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateOnly = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

export function formatDateTime(d: Date | null): string {
  return d ? `${dateTime.format(d)} UTC` : "—";
}

/** "2025-03-01" → "1 Mar 2025". */
export function formatDay(day: string): string {
  return dateOnly.format(new Date(`${day}T00:00:00Z`));
}

export interface Delta {
  /** Relative change (0.25 = +25%), or null when the previous figure was 0. */
  ratio: number | null;
  direction: "up" | "down" | "flat";
  label: string;
}

/** Change of `current` against `previous`, as shown under a KPI. */
export function delta(current: number, previous: number): Delta {
  if (previous === 0) {
    if (current === 0) return { ratio: 0, direction: "flat", label: "no change" };
    return { ratio: null, direction: "up", label: "new" };
  }
  const ratio = (current - previous) / Math.abs(previous);
  if (Math.abs(ratio) < 0.0005) return { ratio: 0, direction: "flat", label: "no change" };
  const pct = Math.abs(ratio * 100);
  const shown = pct >= 100 ? Math.round(pct).toString() : pct.toFixed(1);
  return { ratio, direction: ratio > 0 ? "up" : "down", label: `${ratio > 0 ? "+" : "−"}${shown}%` };
}

/** Figures as short "key: value" texts for a table cell (nested lists summarized). */
export function figureTexts(figures: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(figures)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      out.push(`${k}: ${v.length} item${v.length === 1 ? "" : "s"}`);
      for (const item of v.slice(0, 5)) {
        if (item && typeof item === "object") {
          out.push(`  · ${Object.entries(item as Record<string, unknown>).map(([a, b]) => `${a} ${formatValue(b)}`).join(", ")}`);
        } else out.push(`  · ${formatValue(item)}`);
      }
      if (v.length > 5) out.push(`  · … ${v.length - 5} more`);
    } else if (typeof v === "object") {
      out.push(`${k}: ${Object.entries(v as Record<string, unknown>).map(([a, b]) => `${a} ${formatValue(b)}`).join(", ")}`);
    } else {
      out.push(`${k}: ${formatValue(v)}`);
    }
  }
  return out;
}

function formatValue(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString("en-US") : String(Math.round(v * 1000) / 1000);
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}
