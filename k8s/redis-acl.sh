#!/bin/sh
# Starts Redis with the mixrule ACL users (docs/security.md, "Redis"); used by docker-compose.yml and k8s/redis.yaml.
# Passwords come from the environment (a secret): MIXRULE_REDIS_ADMIN_PASSWORD, MIXRULE_REDIS_LEADERBOARD_PASSWORD,
# MIXRULE_REDIS_SAMPLER_PASSWORD (hex or other URL-safe text). The default user is off. The rules are those of
# dev.mixrule.kernel.security.RedisUsers, which the local stack applies (DeploymentFilesTest compares them).
set -eu
: "${MIXRULE_REDIS_ADMIN_PASSWORD:?set it from the mixrule-redis-users secret (docs/security.md)}"
: "${MIXRULE_REDIS_LEADERBOARD_PASSWORD:?set it from the mixrule-redis-users secret (docs/security.md)}"
: "${MIXRULE_REDIS_SAMPLER_PASSWORD:?set it from the mixrule-redis-users secret (docs/security.md)}"
P="${MIXRULE_REDIS_PREFIX:-mixrule:}"
COMMANDS="-@all +@read +@write +@transaction +@connection -@dangerous -flushall -flushdb -config -acl -keys"
LEADERBOARD_KEYS="~${P}entry:* ~${P}summary:* ~${P}rank:* ~${P}metrics:* ~${P}datasets ~${P}pareto:* ~${P}pareto-points:* ~${P}stats:* ~${P}experiments:* ~${P}failed:* ~${P}pending:* ~${P}pending-index ~${P}registry:*"
umask 077
cat > /tmp/users.acl <<ACL
user default off
user mixrule-admin on >${MIXRULE_REDIS_ADMIN_PASSWORD} ~* &* +@all
user mixrule-leaderboard on >${MIXRULE_REDIS_LEADERBOARD_PASSWORD} ${LEADERBOARD_KEYS} &${P}changes ${COMMANDS} +subscribe +unsubscribe +publish
user mixrule-sampler on >${MIXRULE_REDIS_SAMPLER_PASSWORD} ~${P}sampler:* ${COMMANDS}
ACL
exec redis-server --appendonly yes --aclfile /tmp/users.acl "$@"
