import Link from "next/link";
import { phases } from "@/lib/cases/lifecycle";
import { phaseLabels, regionLabel } from "@/lib/cases/present";

type Props = {
  facets: { modalities: string[]; regions: string[]; tags: string[] };
  values: { q?: string; modality?: string; region?: string; tag?: string; status?: string; solved?: string };
};

/** A plain GET form, so filters live in the URL and work without JavaScript. */
export function LibraryFilters({ facets, values }: Props) {
  return (
    <form className="filters card" method="get" action="/cases" aria-label="Filter cases">
      <fieldset>
        <legend>Search</legend>
        <input type="search" name="q" defaultValue={values.q} placeholder="History, tags…" aria-label="Search cases" style={{ width: "100%" }} />
      </fieldset>
      <Select name="modality" label="Modality" value={values.modality} options={facets.modalities.map((m) => [m, m])} />
      <Select name="region" label="Body region" value={values.region} options={facets.regions.map((r) => [r, regionLabel(r)])} />
      <Select name="tag" label="Tag" value={values.tag} options={facets.tags.map((t) => [t, t])} />
      <Select name="status" label="Status" value={values.status} options={phases.map((p) => [p, phaseLabels[p]])} />
      <Select
        name="solved"
        label="My answers"
        value={values.solved}
        options={[
          ["unsolved", "Not yet answered"],
          ["solved", "Answered"],
        ]}
      />
      <div style={{ display: "flex", gap: ".5rem", alignItems: "center" }}>
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        <Link href="/cases">Clear</Link>
      </div>
    </form>
  );
}

function Select({ name, label, value, options }: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <fieldset>
      <legend>
        <label htmlFor={`filter-${name}`}>{label}</label>
      </legend>
      <select id={`filter-${name}`} name={name} defaultValue={value ?? ""} style={{ width: "100%" }}>
        <option value="">Any</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </fieldset>
  );
}
