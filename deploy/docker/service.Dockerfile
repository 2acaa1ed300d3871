# One image recipe for every .NET service, the gateway and the portal (see docker-compose.yml).
#   docker build -f deploy/docker/service.Dockerfile --build-arg PROJECT=services/listing/TransferHub.Listing.Api \
#                --build-arg ASSEMBLY=TransferHub.Listing.Api -t transferhub/listing .
# Build stage: the SDK matching global.json's feature band; runtime stage: ASP.NET Core only, as the non-root "app" user.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
ARG PROJECT
WORKDIR /src
# Build settings first, so a change to the sources does not invalidate the restore layer of unchanged packages.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY services/ services/
COPY gateway/ gateway/
RUN test -n "$PROJECT" || (echo "build with --build-arg PROJECT=<path of the project folder>" >&2; exit 1)
RUN dotnet restore "$PROJECT"
RUN dotnet publish "$PROJECT" -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
ARG ASSEMBLY
ENV ASSEMBLY=${ASSEMBLY} \
    ASPNETCORE_URLS=http://+:8080 \
    DOTNET_gcServer=0
WORKDIR /app
COPY --from=build --chown=root:root /app ./
# /data: the one writable place (listing attachments and search indexes, registration station keys and contract texts mount volumes here; a new volume takes this owner)
RUN mkdir -p /data/attachments /data/search /data/station-keys /data/documents && chown -R app:app /data
# "app" (uid 1654) is the unprivileged user of the Microsoft images; it can read /app but not change it.
USER app
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec dotnet \"/app/${ASSEMBLY}.dll\""]
