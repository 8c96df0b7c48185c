# syntax=docker/dockerfile:1
# Folio: one image for every role — `serve` (API + workers), `serve --workers 0` (API only)
# and `worker` (workers only). It runs the compiled JavaScript (dist/) that `npm ci` builds.
ARG NODE_IMAGE=node:20-bookworm-slim

# ── build: dependencies, the compiled packages, then production dependencies only ─────
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Native modules (better-sqlite3, sharp, @napi-rs/canvas) ship prebuilt binaries for this
# platform; the toolchain is only a fallback for platforms without one.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# Applied by npm's postinstall (patch-package): see patches/README.md.
COPY patches ./patches
COPY scripts ./scripts
COPY packages ./packages
# `npm ci` compiles every package (the root `prepare` script); the compiler is a dev
# dependency, dropped afterwards.
RUN npm ci \
 && npm prune --omit=dev \
 && npm cache clean --force

# ── runtime ────────────────────────────────────────────────────────────────────────────
FROM ${NODE_IMAGE}
# Optional: LibreOffice converts legacy .doc/.ppt/.xls; without it those formats fail with a
# clear error. Build with --build-arg WITH_LIBREOFFICE=1 to include it (~500 MB).
ARG WITH_LIBREOFFICE=0
RUN if [ "$WITH_LIBREOFFICE" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends libreoffice-core libreoffice-writer libreoffice-calc libreoffice-impress \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# Optional: the native OCR engine, which FOLIO_OCR_ENGINE=auto (the default) takes when present
# (~1.5x the OCR throughput of tesseract.js). Build with --build-arg WITH_TESSERACT=1 (~40 MB).
ARG WITH_TESSERACT=0
RUN if [ "$WITH_TESSERACT" = "1" ]; then \
      apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    FOLIO_DATA_DIR=/data \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "packages/cli/bin/folio.js"]
CMD ["serve"]
