/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files it loads from its own folder; argon2 and pg are native or Node-only.
  serverExternalPackages: ["@electric-sql/pglite", "argon2", "pg", "dcmjs", "@cornerstonejs/codec-openjpeg", "@cornerstonejs/codec-charls", "@cornerstonejs/codec-libjpeg-turbo-8bit", "jpeg-lossless-decoder-js", "dicom-parser"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository once (tsc --noEmit); the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  reactStrictMode: true,
  // forbidden() renders app/forbidden.tsx with a real 403.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
