import path from "node:path";

/** Where the e2e server keeps its database, storage and demo credentials. */
export const e2eDataDir = path.resolve(".e2e-data");
