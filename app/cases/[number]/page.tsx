import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { getCaseContent, getPublicCaseByNumber, listCaseSeries, listCoAuthorIds, listKeyImages } from "@/db/queries/cases";
import { requireUser } from "@/lib/auth/session";
import { getNextTransition } from "@/lib/cases/lifecycle";
import { patientLine, phaseLabels, regionLabel, transitionLabels } from "@/lib/cases/present";
import { getCaseAccess } from "@/lib/cases/visibility";
import { LocalTime } from "@/app/_components/local-time";
import { Markdown } from "@/app/_components/markdown";
import { CaseImages } from "./_components/case-images";
import { RevealSection } from "./_components/reveal-section";

type Props = { params: Promise<{ number: string }> };

// Cases are addressed by number, never by slug: a slug often names the diagnosis. The page title likewise
// stays "Case 12" until the reveal.
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { number } = await params;
  return { title: `Case ${number.slice(0, 8)}` };
}

export default async function CasePage({ params }: Props) {
  const { number } = await params;
  const user = await requireUser(`/cases/${encodeURIComponent(number)}`);
  const db = await getDb();
  const c = await getPublicCaseByNumber(db, number);
  if (!c) notFound();
  const now = new Date();
  const access = getCaseAccess(c, user, now, await listCoAuthorIds(db, c.id));
  if (access.level === "none") notFound();

  const seriesList = await listCaseSeries(db, c.id);
  const full = access.level === "full";
  const [content, keyImages] = full ? await Promise.all([getCaseContent(db, c.id), listKeyImages(db, c.id)]) : [undefined, []];
  const next = getNextTransition(c, now);

  return (
    <main className="page">
      <header style={{ display: "flex", flexWrap: "wrap", alignItems: "baseline", gap: ".75rem", marginBottom: "1rem" }}>
        <h1 style={{ margin: 0 }} data-testid="case-heading">
          Case {c.number}
          {content ? <span className="muted" style={{ fontWeight: 400 }}> · {content.title}</span> : null}
        </h1>
        <span className={`status status-${access.phase}`} data-testid="case-phase">
          {phaseLabels[access.phase]}
        </span>
        {next ? (
          <span className="muted">
            {transitionLabels[next.phase]} <LocalTime iso={next.at.toISOString()} />
          </span>
        ) : null}
      </header>
      <div className="case-layout">
        <CaseImages
          series={seriesList}
          keyImages={keyImages.map((k) => ({ seriesId: k.seriesId, instanceId: k.instanceId, caption: k.caption, annotations: k.annotations }))}
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
            <p className="notice" data-testid="submission-placeholder">
              Submitting a diagnosis arrives with the Diagnosis Please release (submissions, grading and
              leaderboards). For now, study the history and the images.
            </p>
          </section>
        </aside>
      </div>
      {content ? <RevealSection content={content} keyImages={keyImages} /> : null}
    </main>
  );
}
