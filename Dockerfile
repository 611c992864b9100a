# Multi-stage build of the papi binary with the web app embedded.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
# The image says GOTOOLCHAIN=local; auto builds with the patched release go.mod names when the
# image's Go is older.
ENV GOTOOLCHAIN=auto
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist/app ./frontend/dist/app
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/papi ./cmd/papi && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/papi /usr/local/bin/papi
# PAPI_DATA_DIR (the embedded database when no PAPI_DATABASE_URL is given, and files) lives in the
# nonroot user's home. The directory exists in the image, owned by nonroot (65532), so a named volume
# mounted there starts with that owner and papi can write to it.
COPY --from=build --chown=65532:65532 /out/data /home/nonroot/data
ENV PAPI_ADDR=:8080 PAPI_DATA_DIR=/home/nonroot/data
VOLUME /home/nonroot/data
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["/usr/local/bin/papi", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/papi"]
CMD ["serve"]
