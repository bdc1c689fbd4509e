import Link from "next/link";
import type { PublicCase } from "@/db/queries/cases";
import type { Phase } from "@/lib/cases/lifecycle";
import { patientLine, phaseLabels, regionLabel } from "@/lib/cases/present";

type Props = { c: PublicCase; phase: Phase; coverInstanceId: string | undefined };

/** A library card: public fields only, whatever the phase (the title is the reveal's business). */
export function CaseCard({ c, phase, coverInstanceId }: Props) {
  return (
    <Link href={`/cases/${c.number}`} className="case-card" data-testid="case-card" data-case-number={c.number}>
      {coverInstanceId ? (
        // eslint-disable-next-line @next/next/no-img-element -- a server-rendered PNG of a DICOM slice
        <img src={`/api/instances/${coverInstanceId}/preview?size=320`} alt={`Case ${c.number} key image`} loading="lazy" />
      ) : (
        <div className="thumb-missing" />
      )}
      <div className="body">
        <div style={{ display: "flex", justifyContent: "space-between", gap: ".5rem" }}>
          <span className="title">Case {c.number}</span>
          <span className={`status status-${phase}`}>{phaseLabels[phase]}</span>
        </div>
        <span>{c.summary}</span>
        <span className="muted">{patientLine(c.ageBucket, c.sex)}</span>
        <div className="chips">
          {c.modalities.map((m) => (
            <span key={m} className="chip">
              {m}
            </span>
          ))}
          {c.bodyRegion ? <span className="chip">{regionLabel(c.bodyRegion)}</span> : null}
          {c.difficulty ? <span className="chip">Difficulty {c.difficulty}/5</span> : null}
        </div>
      </div>
    </Link>
  );
}
