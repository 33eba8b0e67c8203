{{/* A component's name: <release>-<component>, e.g. schakel-income. Called with (dict "root" $ "name" "income"). */}}
{{- define "schakel.name" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The headless Service whose name has the address of each of a component's pods, for the console. */}}
{{- define "schakel.pods" -}}
{{- printf "%s-%s" .root.Release.Name .name | trunc 58 | trimSuffix "-" -}}-pods
{{- end -}}

{{- define "schakel.selector" -}}
app.kubernetes.io/name: schakel
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "schakel.labels" -}}
{{ include "schakel.selector" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "schakel.image" -}}
{{- printf "%s/schakel-%s:%s" .root.Values.image.registry .name (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* The environment of a service's process (and of its migration job): settings by value,
secrets by reference. Called with (dict "root" $ "name" "income" "svc" $svc). */}}
{{- define "schakel.env" -}}
{{- $v := .root.Values -}}
{{- $prefix := upper .name -}}
- name: SCHAKEL_KAFKA_BOOTSTRAP
  value: {{ $v.kafka.bootstrap | quote }}
- name: SCHAKEL_KAFKA_SECURITY_PROTOCOL
  value: {{ $v.kafka.securityProtocol | quote }}
- name: SCHAKEL_KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.saslMechanism | quote }}
- name: SCHAKEL_KAFKA_TIMEOUT
  value: {{ $v.kafka.timeoutSeconds | quote }}
- name: SCHAKEL_KAFKA_CA_FILE
  value: /etc/schakel/kafka/ca.crt
- name: SCHAKEL_KAFKA_USERNAME
  value: {{ printf "schakel-%s" .name | quote }}
- name: SCHAKEL_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ index $v.kafka.userSecrets .name | quote }}, key: password}
- name: SCHAKEL_PSEUDONYM_KEY
  valueFrom:
    secretKeyRef: {name: {{ $v.platformSecret | quote }}, key: pseudonym-key}
- name: SCHAKEL_BRP_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ $v.platformSecret | quote }}, key: brp-api-key, optional: true}
{{- range $key, $value := $v.platform }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
- name: {{ $prefix }}_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}_PORT
  value: {{ .svc.port | quote }}
{{- if .svc.database }}
- name: {{ $prefix }}_DATABASE_URL
  valueFrom:
    secretKeyRef: {{ index $v.postgresql.existingSecrets .name | toJson }}
{{- end }}
{{- if eq .name "decisions" }}
- name: DECISIONS_WEBHOOK_SLEUTEL
  valueFrom:
    secretKeyRef: {name: {{ $v.decisionsSecret | quote }}, key: webhook-sleutel}
{{- end }}
{{- if eq .name "console" }}
{{- $diensten := dict }}
{{- $instanties := dict }}
{{- range $other, $o := $v.services }}
{{- if ne $other "console" }}
{{- $ctx := dict "root" $.root "name" $other }}
{{- $_ := set $diensten $other (printf "http://%s:%v" (include "schakel.name" $ctx) $o.port) }}
{{- $_ := set $instanties $other (list (printf "http://%s:%v" (include "schakel.pods" $ctx) $o.port)) }}
{{- end }}
{{- end }}
- name: CONSOLE_DIENSTEN
  value: {{ $diensten | toJson | quote }}
- name: CONSOLE_INSTANTIES
  value: {{ $instanties | toJson | quote }}
{{- end }}
{{- range $other := .svc.asks | default list }}
- name: {{ printf "%s_%s_URL" $prefix (upper $other) }}
  value: {{ printf "http://%s:%v/api/v1" (include "schakel.name" (dict "root" $.root "name" $other)) (index $v.services $other).port | quote }}
{{- end }}
{{- range $key, $value := .svc.settings }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "schakel.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "schakel.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
{{- end -}}

{{- define "schakel.volumes" -}}
- name: kafka-ca
  secret:
    secretName: {{ .root.Values.kafka.caSecret.name }}
    items: [{key: {{ .root.Values.kafka.caSecret.key }}, path: ca.crt}]
- name: tmp
  emptyDir: {sizeLimit: 64Mi}
{{- end -}}

{{- define "schakel.volumeMounts" -}}
- {name: kafka-ca, mountPath: /etc/schakel/kafka, readOnly: true}
- {name: tmp, mountPath: /tmp}
{{- end -}}
