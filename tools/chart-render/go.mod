// Not built in module mode: scripts/charts/chart-render-tool.ts copies this folder into a temporary GOPATH and
// builds it with GO111MODULE=off against Debian's Go library packages. This file only lets the GOPATH build
// resolve the `/v3` import paths of sprig and semver ("minimal module compatibility").
module streamfleet/chart-render

go 1.19
