import Link from "next/link";

export default function NotFound() {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p className="muted">There is no page at this address, or it is not available to you yet.</p>
      <Link href="/cases">Back to the case library</Link>
    </main>
  );
}
