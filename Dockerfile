# ottwatch in a container, for docker-compose.yml.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /ottwatch ./cmd/ottwatch

FROM gcr.io/distroless/static-debian12
COPY --from=build /ottwatch /usr/local/bin/ottwatch
COPY --from=build /src/testdata/site /srv/demo-site
ENV OTTWATCH_DATA_DIR=/data
VOLUME /data
ENTRYPOINT ["ottwatch"]
CMD ["--help"]
