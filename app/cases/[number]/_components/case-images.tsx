type SeriesSummary = {
  id: string;
  description: string;
  modality: string;
  instances: { id: string }[];
};

/**
 * The case's images before the interactive viewer loads: the middle slice of the first series, and every
 * series as a thumbnail. Server-rendered PNGs, so the first picture needs no JavaScript.
 */
export function CaseImages({ series }: { series: SeriesSummary[] }) {
  const first = series[0];
  const middle = first?.instances[Math.floor(first.instances.length / 2)];
  return (
    <section aria-label="Images" style={{ display: "flex", flexDirection: "column", gap: ".75rem" }}>
      {middle && first ? (
        <figure className="first-image" style={{ margin: 0 }}>
          {/* eslint-disable-next-line @next/next/no-img-element -- server-rendered PNG of a DICOM slice */}
          <img src={`/api/instances/${middle.id}/preview?size=768`} alt={`${first.description}, middle slice`} data-testid="first-image" />
        </figure>
      ) : (
        <p className="notice">This case has no images yet.</p>
      )}
      <div className="series-list" data-testid="series-list">
        {series.map((s) => {
          const mid = s.instances[Math.floor(s.instances.length / 2)];
          return (
            <div key={s.id} className="series-tile" data-testid="series-tile">
              {/* eslint-disable-next-line @next/next/no-img-element -- server-rendered PNG thumbnail */}
              {mid ? <img src={`/api/instances/${mid.id}/preview?size=160`} alt={`${s.description} thumbnail`} loading="lazy" /> : null}
              <div className="caption">
                {s.description || s.modality} · {s.instances.length} images
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}
