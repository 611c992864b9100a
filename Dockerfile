# Multi-stage build of the papi binary with the web app embedded.
FROM node:20-bookworm AS web
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/frontend/dist/app ./frontend/dist/app
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/papi ./cmd/papi

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/papi /usr/local/bin/papi
# The embedded database, when no PAPI_DATABASE_URL is given, lives in the nonroot user's home.
ENV PAPI_ADDR=:8080 PAPI_DATA_DIR=/home/nonroot/data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/papi"]
CMD ["serve"]
