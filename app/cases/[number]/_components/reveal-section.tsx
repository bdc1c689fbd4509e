import type { CaseContentRow } from "@/db/schema";
import { Markdown } from "@/app/_components/markdown";

type KeyImage = { id: string; instanceId: string; caption: string };

/** The answer and its teaching: rendered only when lib/cases/visibility allows the full case. */
export function RevealSection({ content, keyImages }: { content: CaseContentRow; keyImages: KeyImage[] }) {
  return (
    <section className="card prose" style={{ marginTop: "1rem" }} aria-labelledby="reveal-heading" data-testid="reveal">
      <h2 id="reveal-heading">Diagnosis: {content.title}</h2>
      <Markdown source={content.diagnosis} />
      <h2>Findings</h2>
      <Markdown source={content.findings} />
      {keyImages.length ? (
        <>
          <h2>Key images</h2>
          <div className="series-list">
            {keyImages.map((k) => (
              <figure key={k.id} className="series-tile" style={{ margin: 0 }}>
                {/* eslint-disable-next-line @next/next/no-img-element -- server-rendered PNG of the key slice */}
                <img src={`/api/instances/${k.instanceId}/preview?size=320`} alt={k.caption || "Key image"} loading="lazy" />
                <figcaption className="caption">{k.caption}</figcaption>
              </figure>
            ))}
          </div>
        </>
      ) : null}
      <h2>Differential diagnosis</h2>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">Diagnosis</th>
            <th scope="col">Why less likely</th>
          </tr>
        </thead>
        <tbody>
          {content.differential.map((d) => (
            <tr key={d.diagnosis}>
              <td>{d.diagnosis}</td>
              <td>{d.whyLessLikely}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Discussion</h2>
      <Markdown source={content.discussion} />
      {content.learningPoints.length ? (
        <>
          <h2>Key learning points</h2>
          <ul>
            {content.learningPoints.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>How the diagnosis was confirmed</h2>
      <Markdown source={content.confirmation} />
      {content.references.length ? (
        <>
          <h2>References</h2>
          <ol>
            {content.references.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
