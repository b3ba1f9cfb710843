"use client";
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay, formatInt } from "~/lib/format";

export interface DailyPoint {
  day: string;
  viewers: number;
  watchSeconds: number;
}

const shortDay = (day: string) => formatDay(day).replace(/ \d{4}$/, "");

/** Unique viewers (bars) and watch hours (line) per UTC day. */
export function DailyViewersChart({ data, height = 280 }: { data: DailyPoint[]; height?: number }) {
  const rows = data.map((d) => ({ day: d.day, viewers: d.viewers, watchHours: Math.round((d.watchSeconds / 3600) * 10) / 10 }));
  return (
    <div className="chart" data-testid="daily-chart" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} fontSize={12} />
          <YAxis yAxisId="v" allowDecimals={false} fontSize={12} width={44} />
          <YAxis yAxisId="h" orientation="right" fontSize={12} width={44} />
          <Tooltip
            labelFormatter={(d) => formatDay(String(d))}
            formatter={(value, name) => (name === "Watch hours" ? [`${value} h`, name] : [formatInt(Number(value)), name])}
          />
          <Legend />
          <Bar yAxisId="v" dataKey="viewers" name="Unique viewers" fill="#2f5bea" radius={[3, 3, 0, 0]} isAnimationActive={false} />
          <Line yAxisId="h" dataKey="watchHours" name="Watch hours" stroke="#e07a1f" strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
