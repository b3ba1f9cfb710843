import { delta } from "~/lib/format";

export interface Kpi {
  id: string;
  label: string;
  value: number;
  previous?: number;
  format: (n: number) => string;
  /** For buffer ratio and error rate a rise is bad news. */
  higherIsBetter?: boolean;
  hint?: string;
}

export function KpiCards({ kpis, comparedTo }: { kpis: Kpi[]; comparedTo?: string }) {
  return (
    <div className="kpi-grid">
      {kpis.map((k) => {
        const d = k.previous === undefined ? null : delta(k.value, k.previous);
        const good = d && d.direction !== "flat" ? (d.direction === "up") === (k.higherIsBetter ?? true) : null;
        return (
          <div key={k.id} className="card kpi" data-testid={`kpi-${k.id}`}>
            <div className="kpi-label" title={k.hint}>
              {k.label}
            </div>
            <div className="kpi-value" data-testid={`kpi-${k.id}-value`}>
              {k.format(k.value)}
            </div>
            {d && (
              <div
                className={`kpi-delta ${good === null ? "flat" : good ? "good" : "bad"}`}
                title={comparedTo ? `${k.format(k.previous!)} in ${comparedTo}` : undefined}
              >
                {d.direction === "up" ? "▲" : d.direction === "down" ? "▼" : "■"} {d.label}
                {comparedTo && <span className="muted"> vs previous period</span>}
              </div>
            )}
          </div>
        );
      })}
    </div>
  );
}
