import type { ReactNode } from "react";
import type { listKeyImages, PublicCase } from "@/db/queries/cases";
import type { CaseContentRow } from "@/db/schema";
import type { Phase } from "@/lib/cases/lifecycle";
import { patientLine, phaseLabels, regionLabel } from "@/lib/cases/present";
import { Markdown } from "@/app/_components/markdown";
import { CaseImages } from "@/app/cases/[number]/_components/case-images";
import { RevealSection } from "@/app/cases/[number]/_components/reveal-section";

type Props = {
  c: Pick<PublicCase, "number" | "ageBucket" | "sex" | "modalities" | "bodyRegion" | "difficulty" | "history">;
  phase: Phase;
  series: Parameters<typeof CaseImages>[0]["series"];
  content: CaseContentRow | undefined;
  keyImages: Awaited<ReturnType<typeof listKeyImages>>;
  /** What fills the "Your diagnosis" card; the preview shows a placeholder, the case page its submission form. */
  answerSlot?: ReactNode;
  /** Shown beside the phase: the countdown to the next phase on the case page. */
  headerSlot?: ReactNode;
  /** After the reveal on the case page: who was right and the most common answers. */
  resultsSlot?: ReactNode;
  persistence?: Parameters<typeof CaseImages>[0]["persistence"];
  testId?: string;
};

/**
 * A case as a resident sees it. The case page and the author's "preview as a resident" both render this, so the
 * preview cannot drift from the real thing. Callers pass `content` and `keyImages` only when visibility allows.
 */
export function ResidentCaseView({ c, phase, series, content, keyImages, answerSlot, headerSlot, resultsSlot, persistence, testId }: Props) {
  return (
    <main className="page" data-testid={testId}>
      <header style={{ display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: ".75rem", marginBottom: "1rem" }}>
        <h1 style={{ margin: 0 }} data-testid="case-heading">
          Case {c.number}
          {content ? <span className="muted" style={{ fontWeight: 400 }}> · {content.title}</span> : null}
        </h1>
        <span className={`status status-${phase}`} data-testid="case-phase">
          {phaseLabels[phase]}
        </span>
        {headerSlot}
      </header>
      <div className="case-layout">
        <CaseImages
          series={series}
          keyImages={keyImages.map((k) => ({ seriesId: k.seriesId, instanceId: k.instanceId, caption: k.caption, annotations: k.annotations }))}
          persistence={persistence}
        />
        <aside className="case-side">
          <section className="card" aria-labelledby="presentation-heading">
            <h3 id="presentation-heading">Presentation</h3>
            <dl className="facts" style={{ marginBottom: ".75rem" }}>
              <dt>Patient</dt>
              <dd>{patientLine(c.ageBucket, c.sex)}</dd>
              <dt>Modality</dt>
              <dd>{c.modalities.join(", ")}</dd>
              <dt>Region</dt>
              <dd>{regionLabel(c.bodyRegion)}</dd>
              {c.difficulty ? (
                <>
                  <dt>Difficulty</dt>
                  <dd>{c.difficulty} / 5</dd>
                </>
              ) : null}
            </dl>
            <Markdown source={c.history} />
          </section>
          <section className="card" aria-labelledby="answer-heading">
            <h3 id="answer-heading">Your diagnosis</h3>
            {answerSlot ?? (
              <p className="notice" data-testid="submission-placeholder">
                Residents submit their diagnosis here while the case is open.
              </p>
            )}
          </section>
        </aside>
      </div>
      {content ? <RevealSection content={content} keyImages={keyImages} /> : null}
      {content ? resultsSlot : null}
    </main>
  );
}
