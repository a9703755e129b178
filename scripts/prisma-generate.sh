#!/usr/bin/env bash
# Generates the Prisma client (server/db/generated) without network access.
# The Prisma CLI downloads its schema-engine binary before `generate`, although generate never runs it; where that
# download is impossible, pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips it. A value the caller set,
# or a binary already installed in @prisma/engines, is left alone.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

engines_directory="$(node -p "require('node:path').dirname(require.resolve('@prisma/engines/package.json', { paths: [require.resolve('prisma/package.json')] }))")"

if [[ -z "${PRISMA_SCHEMA_ENGINE_BINARY:-}" ]] && ! compgen -G "${engines_directory}/schema-engine-*" > /dev/null; then
  # /dev/null exists everywhere and can never be executed by mistake.
  export PRISMA_SCHEMA_ENGINE_BINARY=/dev/null
fi

export CHECKPOINT_DISABLE=1
export PRISMA_HIDE_UPDATE_MESSAGE=1

exec ./node_modules/.bin/prisma generate "$@"
