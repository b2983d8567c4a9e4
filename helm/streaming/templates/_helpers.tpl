{{/* Names and labels. */}}
{{- define "streaming.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "streaming.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "streaming.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streaming.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "streaming.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "streaming.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "streaming.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "streaming.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "streaming.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/*
Seconds in a .NET TimeSpan written [d.]hh:mm:ss[.fraction] (the form values.schema.json allows), rounded up.
*/}}
{{- define "streaming.timeSpanSeconds" -}}
{{- $parts := splitList ":" (toString .) -}}
{{- if ne (len $parts) 3 -}}
{{- fail (printf "%s is not a time span; write [d.]hh:mm:ss[.fraction], for example 00:00:30" (toString .)) -}}
{{- end -}}
{{- $days := 0 -}}
{{- $hours := index $parts 0 -}}
{{- if contains "." $hours -}}
{{- $dh := splitList "." $hours -}}
{{- $days = atoi (index $dh 0) -}}
{{- $hours = index $dh 1 -}}
{{- end -}}
{{- $seconds := ceil (float64 (index $parts 2)) | int -}}
{{- add (mul $days 86400) (mul (atoi $hours) 3600) (mul (atoi (index $parts 1)) 60) $seconds -}}
{{- end -}}

{{/*
Bytes in a size written like Streaming:Lake:MemoryBudget accepts it: 402653184, 384MiB, 384MB, 384M (all powers
of 1024, as the application reads them).
*/}}
{{- define "streaming.sizeBytes" -}}
{{- $text := upper (toString .) | trim -}}
{{- $number := regexFind "^[0-9.]+" $text -}}
{{- $unit := trim (trimPrefix $number $text) -}}
{{- $multiplier := dict "" 1 "B" 1 "K" 1024 "KB" 1024 "KIB" 1024 "M" 1048576 "MB" 1048576 "MIB" 1048576 "G" 1073741824 "GB" 1073741824 "GIB" 1073741824 -}}
{{- if not (hasKey $multiplier $unit) -}}
{{- fail (printf "%s is not a size; use bytes or a unit, for example 384MiB" (toString .)) -}}
{{- end -}}
{{- mulf (float64 $number) (get $multiplier $unit) | floor | int64 -}}
{{- end -}}

{{/* The application's shutdown timeout in seconds (Streaming:Consumer:ShutdownTimeout, default 00:00:30). */}}
{{- define "streaming.shutdownSeconds" -}}
{{- include "streaming.timeSpanSeconds" (.Values.config.Consumer.ShutdownTimeout | default "00:00:30") -}}
{{- end -}}

{{/*
The pod's grace period: the application's shutdown timeout, plus the 5 s its host adds on top, plus a margin for
the process to exit. An explicit value must still exceed the shutdown timeout plus those 5 s: a SIGKILL in the
middle of the final flush throws the buffers away (nothing is lost, but the next owner re-reads up to
MaxBufferAge of the shard and the alert on checkpoint lag fires).
*/}}
{{- define "streaming.terminationGracePeriodSeconds" -}}
{{- $minimum := add (include "streaming.shutdownSeconds" . | atoi) 5 -}}
{{- if kindIs "invalid" .Values.terminationGracePeriodSeconds -}}
{{- add $minimum 10 -}}
{{- else if le (int .Values.terminationGracePeriodSeconds) $minimum -}}
{{- fail (printf "terminationGracePeriodSeconds is %d; it must exceed Streaming:Consumer:ShutdownTimeout plus 5 s (%d s), or the final flush is killed" (int .Values.terminationGracePeriodSeconds) $minimum) -}}
{{- else -}}
{{- .Values.terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}

{{/* Replicas without KEDA: ceil(scaling.shards / scaling.shardsPerPod), or replicaCount when shards is not given. */}}
{{- define "streaming.replicas" -}}
{{- if not (kindIs "invalid" .Values.scaling.shards) -}}
{{- $shards := int .Values.scaling.shards -}}
{{- $perPod := int .Values.scaling.shardsPerPod -}}
{{- max 1 (div (add $shards $perPod -1) $perPod) -}}
{{- else -}}
{{- .Values.replicaCount -}}
{{- end -}}
{{- end -}}

{{/* The AWS region the workers and the KEDA scaler use. */}}
{{- define "streaming.region" -}}
{{- .Values.aws.region | default .Values.config.Kinesis.Region | default "" -}}
{{- end -}}

{{/* The Prometheus selector of this release's workers, for rules and the dashboard. */}}
{{- define "streaming.promSelector" -}}
namespace="{{ .Release.Namespace }}",service="{{ include "streaming.fullname" . }}"
{{- end -}}

{{/* A configuration value as the environment variable's text: whole numbers without an exponent. */}}
{{- define "streaming.envValue" -}}
{{- if and (kindIs "float64" .) (eq (floor .) .) -}}
{{- int64 . | toString -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}
