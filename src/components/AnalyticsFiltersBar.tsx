"use client";
import { useEffect, useState } from "react";
import { addDays, rangeDays, type AnalyticsFilters } from "~/analytics/filters";
import { api } from "~/trpc/react";

export type FilterValues = AnalyticsFilters;

const presets = [7, 30, 90, 365];

export function AnalyticsFiltersBar({
  value,
  today,
  onChange,
}: {
  value: FilterValues;
  today: string;
  onChange: (patch: Partial<FilterValues>) => void;
}) {
  const organizers = api.analytics.organizers.useQuery(undefined, { staleTime: 5 * 60_000 });
  const [q, setQ] = useState(value.q ?? "");
  // Follow the URL when it changes from outside (back button, a shared link).
  const [urlQ, setUrlQ] = useState(value.q);
  if (value.q !== urlQ) {
    setUrlQ(value.q);
    if ((value.q ?? "") !== q.trim()) setQ(value.q ?? "");
  }
  // Search as the admin types, once they pause.
  useEffect(() => {
    if ((value.q ?? "") === q.trim()) return;
    const t = setTimeout(() => onChange({ q: q.trim() || undefined }), 350);
    return () => clearTimeout(t);
  }, [q, value.q, onChange]);

  const activePreset = value.to === today ? presets.find((n) => rangeDays(value.from, value.to) === n) : undefined;

  return (
    <form className="filters card" role="search" aria-label="Filters" onSubmit={(e) => (e.preventDefault(), onChange({ q: q.trim() || undefined }))}>
      <div className="filter-group presets" role="group" aria-label="Date range presets">
        {presets.map((n) => (
          <button
            key={n}
            type="button"
            className={activePreset === n ? "chip active" : "chip"}
            aria-pressed={activePreset === n}
            onClick={() => onChange({ from: addDays(today, -(n - 1)), to: today })}
          >
            {n === 365 ? "1 year" : `${n} days`}
          </button>
        ))}
      </div>
      <label>
        From
        <input
          type="date"
          name="from"
          value={value.from}
          max={value.to}
          onChange={(e) => e.target.value && e.target.value <= value.to && onChange({ from: e.target.value })}
        />
      </label>
      <label>
        To
        <input
          type="date"
          name="to"
          value={value.to}
          min={value.from}
          onChange={(e) => e.target.value && e.target.value >= value.from && onChange({ to: e.target.value })}
        />
      </label>
      <label>
        Organizer
        <select name="org" value={value.organizerId ?? ""} onChange={(e) => onChange({ organizerId: e.target.value || undefined })}>
          <option value="">All organizers</option>
          {organizers.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
          {/* An organizer from the URL stays selectable while the list loads. */}
          {value.organizerId && !organizers.data?.some((o) => o.id === value.organizerId) && <option value={value.organizerId}>{value.organizerId}</option>}
        </select>
      </label>
      <label>
        Provider
        <select name="provider" value={value.provider ?? ""} onChange={(e) => onChange({ provider: (e.target.value || undefined) as FilterValues["provider"] })}>
          <option value="">All providers</option>
          <option value="bunny_stream">Bunny Stream</option>
          <option value="youtube">YouTube</option>
        </select>
      </label>
      <label>
        Status
        <select name="status" value={value.status ?? ""} onChange={(e) => onChange({ status: (e.target.value || undefined) as FilterValues["status"] })}>
          <option value="">Any status</option>
          <option value="live">Live</option>
          <option value="ended">Ended</option>
          <option value="scheduled">Scheduled</option>
        </select>
      </label>
      <label className="grow">
        Title
        <input type="search" name="q" placeholder="Search titles" value={q} onChange={(e) => setQ(e.target.value)} maxLength={200} />
      </label>
    </form>
  );
}
