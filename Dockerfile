# A static backchannel binary on a distroless base, for docker-compose.yml's loader.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/backchannel/backchannel/internal/cli.version=${VERSION}" -o /out/backchannel .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/backchannel /usr/local/bin/backchannel
ENTRYPOINT ["/usr/local/bin/backchannel"]
