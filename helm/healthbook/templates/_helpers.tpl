{{/* Names, labels and the environment shared by every Healthbook workload. */}}

{{- define "healthbook.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "healthbook.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "healthbook.labels" -}}
{{ include "healthbook.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "healthbook.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{- define "healthbook.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "healthbook.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* How many pods a component runs at least: (dict "component" VALUES). */}}
{{- define "healthbook.minReplicas" -}}
{{- if .component.autoscaling.enabled -}}
{{- .component.autoscaling.minReplicas -}}
{{- else -}}
{{- .component.replicas -}}
{{- end -}}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "name" NAME). */}}
{{- define "healthbook.componentLabels" -}}
{{ include "healthbook.selectorLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "healthbook.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "healthbook.fullname" .) -}}
{{- end -}}

{{/* The env list of one process: (dict "root" $ "name" NAME "component" VALUES). */}}
{{- define "healthbook.env" -}}
{{- $root := .root -}}
{{- $fullname := include "healthbook.fullname" $root -}}
{{- $secret := include "healthbook.secretName" $root -}}
- name: HEALTHBOOK_HOST
  value: "0.0.0.0"
- name: HEALTHBOOK_DATA_DIR
  value: /var/lib/healthbook
- name: JWKS_URL
  value: {{ printf "http://%s-identity:%v/.well-known/jwks.json" $fullname $root.Values.components.identity.port | quote }}
- name: HEALTHBOOK_OPS_PORT
  value: {{ $root.Values.ops.port | toString | quote }}
{{- if eq .name "router" }}
- name: ROUTER_TRUSTED_PROXIES
  value: {{ join "," $root.Values.router.trustedProxies | quote }}
{{- end }}
{{- range $key, $value := $root.Values.env }}
{{- if $value }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- if .component.port }}
- name: {{ printf "%s_PORT" (upper .name) }}
  value: {{ .component.port | toString | quote }}
{{- end }}
{{- range $key, $target := .component.urls }}
- name: {{ $key }}
  value: {{ printf "http://%s-%s:%v/graphql" $fullname $target (index $root.Values.components $target).port | quote }}
{{- end }}
{{- range $key, $value := .component.env }}
- name: {{ $key }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- range $key := $root.Values.secrets.shared }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- range $database := .component.databases }}
- name: {{ printf "%s_DATABASE_URL" (upper $database) }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ printf "%s_DATABASE_URL" (upper $database) }}
{{- end }}
{{- range $key := .component.secretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
{{- end }}
{{- range $key := .component.optionalSecretEnv }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $key }}
      optional: true
{{- end }}
{{- end -}}

{{/* Security context, writable scratch space and placement of every pod. */}}
{{- define "healthbook.podSpec" -}}
serviceAccountName: {{ include "healthbook.serviceAccountName" . }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- if .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml .Values.imagePullSecrets | nindent 2 }}
{{- end }}
{{- if .Values.nodeSelector }}
nodeSelector:
  {{- toYaml .Values.nodeSelector | nindent 2 }}
{{- end }}
{{- if .Values.tolerations }}
tolerations:
  {{- toYaml .Values.tolerations | nindent 2 }}
{{- end }}
{{- if .Values.affinity }}
affinity:
  {{- toYaml .Values.affinity | nindent 2 }}
{{- end }}
volumes:
  - name: tmp
    emptyDir: {}
  - name: data
    emptyDir: {}
{{- end -}}

{{- define "healthbook.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/healthbook
{{- end -}}
