import { renderMarkdown } from "@/lib/markdown";

/** Sanitised markdown from a case author. */
export function Markdown({ source }: { source: string }) {
  return <div className="prose" dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
