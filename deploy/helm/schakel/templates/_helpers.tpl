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

{{/* A component's image: by digest when `image.digests.<component>` is set (what is pulled is exactly
what was built and scanned), else by tag (`image.tag`, default the chart's appVersion). */}}
{{- define "schakel.image" -}}
{{- $repository := printf "%s/schakel-%s" .root.Values.image.registry .name -}}
{{- $digest := index (.root.Values.image.digests | default dict) .name | default "" | toString -}}
{{- if $digest -}}
{{- if not (regexMatch "^sha256:[0-9a-f]{64}$" $digest) -}}
{{- fail (printf "image.digests.%s must be sha256:<64 hex digits>, not %q" .name $digest) -}}
{{- end -}}
{{- printf "%s@%s" $repository $digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (.root.Values.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}
{{- end -}}

{{/* A component's resources: its own over `defaults.resources`, field by field (overriding one
limit keeps the other limit and the requests). Called with (dict "root" $ "name" "income" "svc" $svc). */}}
{{- define "schakel.resources" -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults.resources) (deepCopy (.svc.resources | default dict))) -}}
{{- end -}}

{{/* The environment variables the chart fills from Secrets: never a value in `platform` or a
service's `settings` (rendered after them, a plain value would replace the Secret's). */}}
{{- define "schakel.secretNames" -}}
{{- $names := list "SCHAKEL_KAFKA_PASSWORD" "SCHAKEL_PSEUDONYM_KEY" "SCHAKEL_BRP_API_KEY" "DECISIONS_WEBHOOK_SLEUTEL" -}}
{{- range $name, $svc := .Values.services -}}
{{- $names = append $names (printf "%s_DATABASE_URL" (upper $name)) -}}
{{- end -}}
{{- toJson $names -}}
{{- end -}}

{{/* What a production render refuses: no OIN of its own, a secret as a plain value, a JWT secret
(production validates tokens against the JWKS only), the development environment. Rendered once,
by deployment.yaml; with the root context. */}}
{{- define "schakel.validate" -}}
{{- $v := .Values -}}
{{- $oin := required "platform.SCHAKEL_OIN is required: the OIN (20 digits) that names this deployment's systems in the events' sources" $v.platform.SCHAKEL_OIN | toString -}}
{{- if not (regexMatch "^[0-9]{20}$" $oin) -}}
{{- fail (printf "platform.SCHAKEL_OIN must be an OIN of 20 digits (use --set-string), not %q" $oin) -}}
{{- end -}}
{{- $secrets := include "schakel.secretNames" . | fromJsonArray -}}
{{- $maps := dict "platform" ($v.platform | default dict) -}}
{{- range $name, $svc := $v.services -}}
{{- $_ := set $maps (printf "services.%s.settings" $name) ($svc.settings | default dict) -}}
{{- end -}}
{{- range $where, $settings := $maps -}}
{{- range $key, $value := $settings -}}
{{- /* the services read their environment case-insensitively */ -}}
{{- $name := upper $key -}}
{{- if has $name $secrets -}}
{{- fail (printf "%s.%s is a secret: the chart takes it from a Secret the platform provides (platformSecret, decisionsSecret, kafka.userSecrets, postgresql.existingSecrets), never as a value" $where $key) -}}
{{- end -}}
{{- if and (eq $name "SCHAKEL_JWT_SECRET") (not (empty $value)) -}}
{{- fail (printf "%s.%s must stay empty: production validates tokens against SCHAKEL_JWKS_URL only, and a shared secret would let whoever holds it mint tokens" $where $key) -}}
{{- end -}}
{{- if and (eq $name "SCHAKEL_ENVIRONMENT") (eq (toString $value) "development") -}}
{{- fail (printf "%s.%s=development accepts the development secrets in the repository: the chart deploys production only" $where $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
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
{{- /* a migration job reaches neither the broker nor the BRP: it gets neither's secret */}}
{{- if not .migrations }}
- name: SCHAKEL_KAFKA_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ index $v.kafka.userSecrets .name | quote }}, key: password}
{{- end }}
{{- /* the services pseudonymise BSNs; the console holds no key (console.settings.Platform) */}}
{{- if ne .name "console" }}
- name: SCHAKEL_PSEUDONYM_KEY
  valueFrom:
    secretKeyRef: {name: {{ $v.platformSecret | quote }}, key: pseudonym-key}
{{- end }}
{{- if and .svc.brp (not .migrations) }}
- name: SCHAKEL_BRP_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ $v.platformSecret | quote }}, key: brp-api-key, optional: true}
{{- end }}
{{- range $key, $value := $v.platform }}
- name: {{ $key }}
  value: {{ $value | quote }}
{{- end }}
- name: {{ $prefix }}_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}_PORT
  value: {{ .svc.port | quote }}
{{- if .svc.database }}
{{- $database := index $v.postgresql.existingSecrets .name }}
{{- if .migrations }}
{{- $database = index ($v.postgresql.migrationSecrets | default dict) .name | default $database }}
{{- end }}
- name: {{ $prefix }}_DATABASE_URL
  valueFrom:
    secretKeyRef: {{ $database | toJson }}
# the CA that signed the database server's certificate, for the URL's ssl=verify-full
- name: PGSSLROOTCERT
  value: /etc/schakel/postgresql/ca.crt
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
{{- if .svc.database }}
{{- $ca := required (printf "postgresql.caSecrets.%s names the Secret with the CA of its database server" .name) (index (.root.Values.postgresql.caSecrets | default dict) .name) }}
- name: postgresql-ca
  secret:
    secretName: {{ required (printf "postgresql.caSecrets.%s.name" .name) $ca.name }}
    items: [{key: {{ $ca.key | default "ca.crt" }}, path: ca.crt}]
{{- end }}
- name: tmp
  emptyDir: {sizeLimit: 64Mi}
{{- end -}}

{{- define "schakel.volumeMounts" -}}
- {name: kafka-ca, mountPath: /etc/schakel/kafka, readOnly: true}
{{- if .svc.database }}
- {name: postgresql-ca, mountPath: /etc/schakel/postgresql, readOnly: true}
{{- end }}
- {name: tmp, mountPath: /tmp}
{{- end -}}
