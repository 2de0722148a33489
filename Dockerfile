# A small image with `wadash watch` (≈ 20 MB: the static-ish binary on
# Debian slim with CA certificates). Not built in CI (no Docker engine there).
#
#   docker build -t wadash .
#   docker run -d --name wadash \
#       -v ~/.config/wadash:/config:ro -e WADASH_CONFIG=/config/config.toml \
#       -e WA_KEY=… -p 127.0.0.1:9469:9469 wadash
#   docker kill -s HUP wadash      # reload the config
#
# Inside the container the metrics listen on 0.0.0.0 (--metrics-public): the
# port is published on the host's loopback only, as above.
FROM rust:1-slim-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin wadash

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/wadash --create-home wadash
COPY --from=build /src/target/release/wadash /usr/local/bin/wadash
USER wadash
ENV XDG_STATE_HOME=/var/lib/wadash
EXPOSE 9469
# SIGTERM (docker stop) makes it flush and exit 0 within 2 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/wadash", "watch"]
# /metrics answers IP addresses as Host; a name Prometheus scrapes it by (a
# compose service, a pod) must be named: -e WADASH_METRICS_HOST=wadash (421 otherwise).
CMD ["--metrics", "0.0.0.0:9469", "--metrics-public", "--log-format", "json"]
