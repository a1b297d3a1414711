#!/usr/bin/env bash
# Runs one sharded run on a Kubernetes cluster: the shards Job, a wait until it has ended either
# way (Slurm's afterany), then the merge Job. Needs kubectl configured for the cluster, the
# PersistentVolumeClaim applied and the drop on it (see README.md). Not run by this project's
# CI, which has no cluster: CI only schema-checks the manifests.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kubectl delete job portfolio-shards portfolio-merge --ignore-not-found
kubectl apply -f "$here/shards-job.yaml"
until kubectl get job portfolio-shards \
  -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{"\n"}{end}' | grep -qxE 'Complete|Failed'; do
  sleep 30
done
kubectl apply -f "$here/merge-job.yaml"
kubectl wait --for=condition=complete --timeout=24h job/portfolio-merge
