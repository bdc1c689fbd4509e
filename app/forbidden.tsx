import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="page narrow">
      <h1>403 · Not for your role</h1>
      <p className="muted">This page is for educators. Ask an administrator if you need access.</p>
      <Link href="/cases">Back to the case library</Link>
    </main>
  );
}
