{{/* The image all Stratus pods run. */}}
{{- define "stratus.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "stratus.labels" -}}
app.kubernetes.io/name: stratus
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "stratus.selector" -}}
app.kubernetes.io/name: stratus
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "stratus.securityContext" -}}
allowPrivilegeEscalation: false
runAsNonRoot: true
capabilities:
  drop: [ALL]
{{- end }}

{{- define "stratus.podSecurityContext" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The Secret with the access tokens: the user's, or the one the chart creates. */}}
{{- define "stratus.tokensSecret" -}}
{{ .Values.auth.existingSecret | default (printf "%s-tokens" .Release.Name) }}
{{- end }}

{{/* The tokens of the admin API and the gateways' traffic endpoint, from the release's Secret (docs/security.md). */}}
{{- define "stratus.tokenEnv" -}}
- name: STRATUS_SECURITY_ADMIN_TOKEN
  valueFrom: {secretKeyRef: {name: {{ include "stratus.tokensSecret" . }}, key: admin-token}}
- name: STRATUS_SECURITY_VIEWER_TOKEN
  valueFrom: {secretKeyRef: {name: {{ include "stratus.tokensSecret" . }}, key: viewer-token, optional: true}}
{{- end }}
