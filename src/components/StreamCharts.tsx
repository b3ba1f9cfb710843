"use client";
// The charts of one stream's page (recharts).
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatHours, formatInt, formatPercent } from "~/lib/format";

const utcTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const utcDayTime = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const utcDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

function timeTick(spanMs: number) {
  return (t: number) => (spanMs <= 86_400_000 ? utcTime : spanMs <= 7 * 86_400_000 ? utcDayTime : utcDay).format(new Date(t));
}

export function ConcurrencyChart({ points, bucketMinutes }: { points: { t: Date; viewers: number }[]; bucketMinutes: number }) {
  const rows = points.map((p) => ({ t: p.t.getTime(), viewers: p.viewers }));
  const span = rows.length ? rows[rows.length - 1]!.t - rows[0]!.t : 0;
  return (
    <div className="chart chart-concurrency" data-testid="concurrency-chart">
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={timeTick(span)} minTickGap={32} fontSize={12} />
          <YAxis allowDecimals={false} fontSize={12} width={40} />
          <Tooltip
            labelFormatter={(t) => `${utcDayTime.format(new Date(Number(t)))} UTC${bucketMinutes > 1 ? ` (${bucketMinutes}-minute peak)` : ""}`}
            formatter={(v) => [formatInt(Number(v)), "Concurrent viewers"]}
          />
          <Area type="stepAfter" dataKey="viewers" stroke="#2f5bea" fill="#2f5bea" fillOpacity={0.18} strokeWidth={2} isAnimationActive={false} />
        </AreaChart>
      </ResponsiveContainer>
    </div>
  );
}

export function QualityChart({ points, unit }: { points: { t: Date; sessions: number; bufferRatio: number; errorRate: number }[]; unit: "hour" | "day" }) {
  const rows = points.map((p) => ({ t: p.t.getTime(), buffer: p.bufferRatio, errors: p.errorRate, sessions: p.sessions }));
  const fmt = unit === "hour" ? utcDayTime : utcDay;
  return (
    <div className="chart chart-quality" data-testid="quality-chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(t) => fmt.format(new Date(t))} minTickGap={32} fontSize={12} />
          {/* Two scales: buffering is usually a few percent, errors can reach tens of percent. */}
          <YAxis yAxisId="b" tickFormatter={(v) => `${Math.round(Number(v) * 1000) / 10}%`} fontSize={12} width={48} stroke="#e07a1f" />
          <YAxis yAxisId="e" orientation="right" tickFormatter={(v) => `${Math.round(Number(v) * 1000) / 10}%`} fontSize={12} width={48} stroke="#c0392b" />
          <Tooltip
            labelFormatter={(t) => `${unit === "hour" ? "Hour from" : "Day"} ${fmt.format(new Date(Number(t)))} UTC`}
            formatter={(v, name) => [formatPercent(Number(v)), name]}
          />
          <Legend />
          <Line yAxisId="b" dataKey="buffer" name="Buffer ratio (left)" stroke="#e07a1f" strokeWidth={2} dot={rows.length < 40} isAnimationActive={false} />
          <Line yAxisId="e" dataKey="errors" name="Error rate (right)" stroke="#c0392b" strokeWidth={2} dot={rows.length < 40} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

const regionNames = typeof Intl.DisplayNames === "function" ? new Intl.DisplayNames(["en"], { type: "region" }) : null;
export function countryName(code: string): string {
  if (code === "ZZ") return "Unknown";
  try {
    return regionNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function CountriesChart({ countries }: { countries: { country: string; sessions: number; watchSeconds: number }[] }) {
  const rows = countries.slice(0, 10).map((c) => ({ name: countryName(c.country), code: c.country, sessions: c.sessions, watchSeconds: c.watchSeconds }));
  // One bar per country: the height follows the data.
  return (
    <div className="chart" data-testid="countries-chart" style={{ height: Math.max(160, rows.length * 30 + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" allowDecimals={false} fontSize={12} />
          <YAxis type="category" dataKey="name" width={110} fontSize={12} />
          <Tooltip formatter={(v, _n, item) => [`${formatInt(Number(v))} views · ${formatHours(Number((item.payload as { watchSeconds: number }).watchSeconds))}`, "Views"]} />
          <Bar dataKey="sessions" name="Views" fill="#2f5bea" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

const deviceColors: Record<string, string> = { desktop: "#2f5bea", mobile: "#e07a1f", tablet: "#138a4b", tv: "#8e44ad", other: "#95a0b0" };
const deviceLabels: Record<string, string> = { desktop: "Desktop", mobile: "Mobile", tablet: "Tablet", tv: "TV", other: "Other" };

export function DevicesChart({ devices }: { devices: { device: string; sessions: number }[] }) {
  const rows = devices.filter((d) => d.sessions > 0).map((d) => ({ name: deviceLabels[d.device] ?? d.device, device: d.device, value: d.sessions }));
  const total = rows.reduce((n, r) => n + r.value, 0);
  return (
    <div className="chart chart-devices" data-testid="devices-chart">
      <ResponsiveContainer width="100%" height="100%">
        <PieChart>
          <Pie data={rows} dataKey="value" nameKey="name" innerRadius="45%" outerRadius="75%" paddingAngle={1} isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.device} fill={deviceColors[r.device] ?? "#95a0b0"} />
            ))}
          </Pie>
          <Tooltip formatter={(v, name) => [`${formatInt(Number(v))} views (${formatPercent(total ? Number(v) / total : 0)})`, name]} />
          <Legend />
        </PieChart>
      </ResponsiveContainer>
    </div>
  );
}
