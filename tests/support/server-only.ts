// Test stand-in for the "server-only" marker package, which throws outside a React Server Component bundle.
export {};
