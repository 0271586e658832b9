#!/usr/bin/env python3
"""Write the broken-plan corpus tests/plans-bad/*.yaml from tests/gen/base.yaml.

Each case changes the valid base plan in one place and marks the line the
diagnostic must point at with "# <- here". The first line of each file says
what tests/plan_corpus.sh expects: "# expect: ID LINE EXIT". The expected line
comes from the marker, not from running ckwizard. Run it from the source tree
after changing base.yaml or a case; commit the output."""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "plans-bad")
BASE = open(os.path.join(HERE, "base.yaml"), encoding="utf-8").read()
M = "  # <- here"

def sub(old, new, count=1):
    def f(text):
        if old not in text:
            sys.exit("case text not found: %r" % old)
        return text.replace(old, new, count)
    return f

def chain(*fs):
    def f(text):
        for g in fs:
            text = g(text)
        return text
    return f

def policies(n):
    items = "".join(
        "      - name: DEP%02d\n        regions: { A: eastus2, B: westus2 }\n" % i
        for i in range(1, n + 1))
    # the 51st item is the one to point at
    lines = items.splitlines(True)
    lines[2 * 50] = lines[2 * 50].rstrip("\n") + M + "\n"
    return "".join(lines)


# The base plan with its keys in two Managed HSMs (key_store: managed_hsm):
# every DEP's region is its side's HSM region, and the key names carry the
# workload and geo so that one HSM's keys differ.
FP1 = "3c7ebfd147e20cc8b2b2317aa496adba2e981c8199f8e49d119e83a7a0267637"
FP2 = "0c54e0dbce5bc50a8a5a8e27f153c8e36fc86fc8964c4bfe5f7570379496823b"
FP3 = "4460f25d499cce4b1861b3b5c2bef9d8eb7cc1b2bf6972c9b81d8069c8f3d6e3"
HSM_SECTION = """key_store: managed_hsm
managed_hsm:
  name: "{prefix}-CK-HSM{side}"
  regions: { A: eastus2, B: westus2 }
  administrators:
    A: [5b7c2d1e-3f4a-4b5c-8d6e-7f8091a2b3c4]
    B: [6c8d3e2f-4a5b-4c6d-9e7f-8091a2b3c4d5]
  security_domain:
    quorum: 2
    officers:
      - name: Erin Evans
        email: erin.evans@contoso.example
        public_key_sha256: %s
      - name: Frank Fischer
        email: frank.fischer@contoso.example
        public_key_sha256: %s
      - name: Grace Gupta
        email: grace.gupta@contoso.example
        public_key_sha256: %s
""" % (FP1, FP2, FP3)

def hsm(text):
    text = sub('  key: "{vault}-Key{key_seq:03}"\n',
               '  key: "{prefix}-{workload}-{geo}-Key{side}{vault_seq}"\n')(text)
    text = sub("regions: { A: centralus, B: westus3 }", "regions: { A: eastus2, B: westus2 }")(text)
    return sub("key_vault:\n", HSM_SECTION + "key_vault:\n")(text)

def on_hsm(*fs):
    return chain(hsm, *fs)

CASES = [
    # Loader: unusable input, exit 2
    ("l005-invalid-utf8", "L005", 2, sub("  name: Contoso\n", "  name: Cont\udcffoso" + M + "\n")),
    ("l006-bidi-override", "L006", 2, sub("  name: Contoso\n", "  name: Con\u202etoso" + M + "\n")),
    ("l006-bell", "L006", 2, sub("description: Mailboxes in the United States", "description: Bell\x07 Mailboxes" + M)),
    ("l006-escaped-bidi", "L006", 2, sub("  name: Contoso\n", '  name: "Con\\u202etoso"' + M + "\n")),
    ("l007-unclosed-quote", "L007", 2, sub('  prefix: Contoso\n', '  prefix: "Contoso\n'), 8),
    ("l007-bad-indent", "L007", 2, sub("    upn: bob@contoso.example\n", "  upn: bob@contoso.example" + M + "\n"), 20),
    ("l007-tab-indent", "L007", 2, sub("    upn: alice@contoso.example\n", "  \tupn: alice@contoso.example" + M + "\n")),
    ("l008-deep", "L008", 2, sub("ckwizard: 1\n", "ckwizard: 1\nx: " + "[" * 40 + "]" * 40 + M + "\n")),
    ("l009-long-value", "L009", 2, sub("description: Mailboxes in the United States", "description: " + "x" * 5000 + M)),
    ("l011-anchor", "L011", 2, sub("  prefix: Contoso\n", "  prefix: &p Contoso" + M + "\n")),
    ("l011-anchored-map", "L011", 2, sub("  A:\n    name: Alice", "  A: &alice" + M + "\n    name: Alice")),
    ("l012-tag", "L012", 2, sub("  prefix: Contoso\n", "  prefix: !!str Contoso" + M + "\n")),
    ("l012-local-tag", "L012", 2, sub("  sku: premium\n", "  sku: !vault premium" + M + "\n")),
    ("l012-tag-directive", "L012", 2, lambda t: "%TAG ! tag:example.com,2000:\n---\n" + t, 1),
    ("l013-merge-key", "L013", 2, sub("  B:\n    name: Bob Berg\n", "  B:\n    <<: { upn: x }" + M + "\n    name: Bob Berg\n")),
    ("l014-duplicate-key", "L014", 2, sub("    upn: alice@contoso.example\n", "    upn: alice@contoso.example\n    upn: mallory@contoso.example" + M + "\n")),
    ("l014-duplicate-flow", "L014", 2, sub("regions: { A: eastus2, B: westus2 }", "regions: { A: eastus2, A: westus2 }" + M)),
    ("l014-duplicate-top", "L014", 2, lambda t: t + "author: B" + M + "\n"),
    ("l015-two-documents", "L015", 2, lambda t: t + "---" + M + "\nckwizard: 1\n"),
    ("l016-top-level-list", "L016", 2, lambda t: "- ckwizard: 1" + M + "\n"),
    ("l016-top-level-scalar", "L016", 2, lambda t: "just some text" + M + "\n"),
    ("l017-complex-key", "L017", 2, sub("author: A\n", "? [author]" + M + "\n: A\n")),
    ("l004-only-comments", "L004", 2, lambda t: "# nothing but a comment\n", 0),
    # Fields
    ("ck001-unknown-top", "CK001", 1, sub("author: A\n", "author: A\nauthour: A" + M + "\n")),
    ("ck001-typo-nested", "CK001", 1, sub("  tenant_domain:", "  tenant_domian:"), 4),
    ("ck001-unknown-policy-key", "CK001", 1, sub("        mailboxes: [alice@contoso.example]\n", "        mailbox: [alice@contoso.example]" + M + "\n")),
    ("ck001-side-c", "CK001", 1, sub("  B:\n    id:", "  C:" + M + "\n    id:")),
    ("ck002-org-scalar", "CK002", 1, lambda t: t.replace("organization:\n  name: Contoso\n  tenant_domain: contoso.onmicrosoft.com\n  tenant_id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b\n", "organization: Contoso" + M + "\n")),
    ("ck002-policies-map", "CK002", 1, sub("    policies:\n      - name: USA_mailboxes", "    policies:" + M + "\n      name: USA_mailboxes").__call__ if False else
        (lambda t: t.replace("    policies:\n      - name: USA_mailboxes\n        description: Mailboxes in the United States\n        regions: { A: eastus2, B: westus2 }\n        mailboxes: [alice@contoso.example]\n",
                             "    policies:" + M + "\n      name: USA_mailboxes\n"))),
    ("ck002-regions-list", "CK002", 1, sub("regions: { A: eastus2, B: westus2 }", "regions: [eastus2, westus2]" + M)),
    ("ck003-missing-operator-b", "CK003", 1, sub("operators:\n", "operators:" + M + "\n")
        if False else (lambda t: t.replace("operators:\n", "operators:" + M + "\n").replace("  B:\n    name: Bob Berg\n    upn: bob@contoso.example\n    key: \"ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA=\"\n", ""))),
    ("ck003-missing-tenant-id", "CK003", 1, lambda t: t.replace("organization:\n", "organization:" + M + "\n").replace("  tenant_id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b\n", "")),
    ("ck003-empty-value", "CK003", 1, sub("    name: Alice Ames\n", "    name:" + M + "\n")),
    ("ck004-yes-is-not-true", "CK004", 1, sub("  purge_protection: true\n", "  purge_protection: yes" + M + "\n")),
    ("ck004-size-not-number", "CK004", 1, sub("    size: 3072\n", "    size: 3k" + M + "\n")),
    ("ck005-format-2", "CK005", 1, sub("ckwizard: 1\n", "ckwizard: 2" + M + "\n")),
    # Identities
    ("ck010-tenant-id", "CK010", 1, sub("  tenant_id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b\n", "  tenant_id: 6f1e2d3c-4b5a-4978-8a6b" + M + "\n")),
    ("ck010-subscription-id", "CK010", 1, sub("    id: 0a1b2c3d-2222-4aaa-8bbb-000000000002\n", "    id: 0a1b2c3d-2222-4aaa-8bbb-00000000000g" + M + "\n")),
    ("ck010-nil-guid", "CK010", 1, sub("  tenant_id: 6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b\n", "  tenant_id: 00000000-0000-0000-0000-000000000000" + M + "\n")),
    ("ck011-tenant-domain", "CK011", 1, sub("  tenant_domain: contoso.onmicrosoft.com\n", "  tenant_domain: contoso" + M + "\n")),
    ("ck012-operator-upn", "CK012", 1, sub("    upn: alice@contoso.example\n", "    upn: alice" + M + "\n")),
    ("ck012-administrator", "CK012", 1, sub("    administrators: [bob@contoso.example]\n", "    administrators: [bob at contoso.example]" + M + "\n")),
    ("ck013-officer-email", "CK013", 1, sub("    email: erin.evans@contoso.example\n", "    email: erin.evans@" + M + "\n")),
    ("ck013-mailbox", "CK013", 1, sub("        mailboxes: [alice@contoso.example]\n", "        mailboxes: [\"alice@contoso..example\"]" + M + "\n")),
    ("ck014-bad-key", "CK014", 1, sub('    key: "ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA="\n', '    key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"' + M + "\n")),
    # Operators and subscriptions
    ("ck020-same-upn", "CK020", 1, sub("    upn: bob@contoso.example\n", "    upn: alice@contoso.example" + M + "\n")),
    ("ck020-same-key", "CK020", 1, sub('    key: "ed25519:sSxTRn1e1FovB8YplWI3alLxtizcQZ0T2HBFQs52NjA="\n', '    key: "ed25519:KP6+l1egG1YdHGuGeKmvwwy3q1/1yPehMByAq0o3OfY="' + M + "\n")),
    ("ck021-same-subscription", "CK021", 1, sub("    id: 0a1b2c3d-2222-4aaa-8bbb-000000000002\n", "    id: 0a1b2c3d-1111-4aaa-8bbb-000000000001" + M + "\n")),
    ("ck022-one-owner", "CK022", 1, sub("    operator: B\n", "    operator: A" + M + "\n")),
    ("ck023-author-c", "CK023", 1, sub("author: A\n", "author: C" + M + "\n")),
    ("ck023-tenant-admin-name", "CK023", 1, sub("tenant_admin: A\n", "tenant_admin: alice" + M + "\n")),
    ("ck024-shared-admin", "CK024", 0, sub("    administrators: [bob@contoso.example]\n", "    administrators: [bob@contoso.example, carol@contoso.example]" + M + "\n") if False else
        (lambda t: t.replace("    administrators: [alice@contoso.example]\n", "    administrators: [alice@contoso.example, carol@contoso.example]\n").replace("    administrators: [bob@contoso.example]\n", "    administrators: [carol@contoso.example, bob@contoso.example]" + M + "\n"))),
    ("ck025-admin-other-side", "CK025", 0, sub("    administrators: [bob@contoso.example]\n", "    administrators: [bob@contoso.example, alice@contoso.example]" + M + "\n")),
    ("ck027-lookalike-name", "CK027", 0, sub("    name: Bob Berg\n", "    name: \u0410lice Ames" + M + "\n")),
    ("ck027-lookalike-upn", "CK027", 0, sub("    upn: bob@contoso.example\n", "    upn: a1ice@contoso.example" + M + "\n")),
    ("ck026-owner-not-admin", "CK026", 0, sub("    administrators: [bob@contoso.example]\n", "    administrators: [max@contoso.example]" + M + "\n")),
    # Regions
    ("ck030-unknown-region", "CK030", 1, sub("regions: { A: eastus2, B: westus2 }", "regions: { A: eastus4, B: westus2 }" + M)),
    ("ck030-display-name", "CK030", 1, sub("regions: { A: centralus, B: westus3 }", "regions: { A: Central US, B: westus3 }" + M)),
    ("ck031-same-region", "CK031", 1, sub("regions: { A: eastus2, B: westus2 }", "regions: { A: eastus2, B: eastus2 }" + M)),
    ("ck032-paired", "CK032", 0, sub("regions: { A: eastus2, B: westus2 }", "regions: { A: eastus, B: westus }" + M)),
    ("ck032-one-way-pair", "CK032", 0, sub("regions: { A: centralus, B: westus3 }", "regions: { A: eastus, B: westus3 }" + M)),
    ("ck033-outside-geo", "CK033", 0, sub("regions: { A: centralus, B: westus3 }", "regions: { A: centralus, B: westeurope }" + M)),
    ("ck034-unknown-geo", "CK034", 1, sub("    m365_geo: NAM\n", "    m365_geo: USA" + M + "\n")),
    # Key vault and keys
    ("ck040-sku", "CK040", 1, sub("  sku: premium\n", "  sku: gold" + M + "\n")),
    ("ck041-standard-rsa", "CK041", 0, chain(sub("  sku: premium\n", "  sku: standard" + M + "\n"), sub("    type: RSA-HSM\n", "    type: RSA\n"))),
    ("ck042-hsm-standard", "CK042", 1, sub("  sku: premium\n", "  sku: standard" + M + "\n")),
    ("ck043-ec-key", "CK043", 1, sub("    type: RSA-HSM\n", "    type: EC-HSM" + M + "\n")),
    ("ck044-size-1024", "CK044", 1, sub("    size: 3072\n", "    size: 1024" + M + "\n")),
    ("ck045-retention-7", "CK045", 1, sub("  soft_delete_retention_days: 90\n", "  soft_delete_retention_days: 7" + M + "\n")),
    ("ck046-no-purge-protection", "CK046", 1, sub("  purge_protection: true\n", "  purge_protection: false" + M + "\n")),
    ("ck047-expiry", "CK047", 1, sub("    source: create\n", "    source: create\n    expiry: 2030-01-01" + M + "\n")),
    ("ck048-admin-delete", "CK048", 1, sub("  administrator_key_permissions: [create, import, list, get, backup, restore]\n", "  administrator_key_permissions: [create, import, list, get, backup, restore, delete]" + M + "\n")),
    ("ck049-key-source", "CK049", 1, sub("    source: create\n", "    source: generate" + M + "\n")),
    ("ck050-unknown-permission", "CK050", 1, sub("  administrator_key_permissions: [create, import, list, get, backup, restore]\n", "  administrator_key_permissions: [create, import, list, get, backup, restore, fly]" + M + "\n")),
    ("ck051-missing-backup", "CK051", 0, sub("  administrator_key_permissions: [create, import, list, get, backup, restore]\n", "  administrator_key_permissions: [create, import, list, get, restore]" + M + "\n")),
    # Names
    ("ck060-unknown-placeholder", "CK060", 1, sub('  resource_group: "{prefix}-CK-{workload}-{geo}-RG{side}"\n', '  resource_group: "{prefix}-CK-{region}-RG{side}"' + M + "\n")),
    ("ck060-unclosed-brace", "CK060", 1, sub('  key: "{vault}-Key{key_seq:03}"\n', '  key: "{vault}-Key{key_seq:03"' + M + "\n")),
    ("ck060-key-in-vault", "CK060", 1, sub('  vault: "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}"\n', '  vault: "{key}-Vault{side}{vault_seq}"' + M + "\n")),
    ("ck061-vault-2018-form", "CK061", 1, sub('  vault: "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}"\n', '  vault: "{prefix}-O365{workload}-{geo}-Vault{side}{vault_seq}"' + M + "\n")),
    ("ck061-vault-digit-start", "CK061", 1, sub('  vault: "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}"\n', '  vault: "1{workload}-{geo}-Vault{side}{vault_seq}"' + M + "\n")),
    ("ck061-vault-double-hyphen", "CK061", 1, sub('  vault: "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}"\n', '  vault: "{prefix}--{workload}-{geo}-V{side}{vault_seq}"' + M + "\n")),
    ("ck062-key-underscore", "CK062", 1, sub('  key: "{vault}-Key{key_seq:03}"\n', '  key: "{vault}_Key{key_seq:03}"' + M + "\n")),
    ("ck063-rg-trailing-dot", "CK063", 1, sub('  resource_group: "{prefix}-CK-{workload}-{geo}-RG{side}"\n', '  resource_group: "{prefix}-CK-{workload}-{geo}-RG{side}."' + M + "\n")),
    ("ck064-backup-path", "CK064", 1, sub('  backup: "{key}-Backup-{date}.backup"\n', '  backup: "../{key}-{date}.backup"' + M + "\n")),
    ("ck065-vault-without-side", "CK065", 1, sub('  vault: "{prefix}-CK-{workload}-{geo}-Vault{side}{vault_seq}"\n', '  vault: "{prefix}-CK-{workload}-{geo}-Vault{vault_seq}"' + M + "\n")),
    ("ck065-backup-without-key", "CK065", 1, sub('  backup: "{key}-Backup-{date}.backup"\n', '  backup: "{prefix}-{side}-{date}.backup"' + M + "\n")),
    ("ck066-backup-suffix", "CK066", 1, sub('  backup: "{key}-Backup-{date}.backup"\n', '  backup: "{key}-{date}.bak"' + M + "\n")),
    # Workloads
    ("ck070-no-workload", "CK070", 1, lambda t: t[:t.index("workloads:\n")] + "workloads: {}" + M + "\n"),
    ("ck071-51-policies", "CK071", 1, lambda t: t[:t.index("    policies:\n")] + "    policies:\n" + policies(51)),
    ("ck072-dep-name-space", "CK072", 1, sub("      - name: USA_mailboxes\n", "      - name: USA mailboxes" + M + "\n")),
    ("ck073-dep-name-twice", "CK073", 1, sub("        mailboxes: [alice@contoso.example]\n", "        mailboxes: [alice@contoso.example]\n      - name: usa_MAILBOXES" + M + "\n        regions: { A: eastus2, B: westus2 }\n")),
    ("ck074-sharepoint-geo-twice", "CK074", 1, lambda t: t + "      - m365_geo: NAM" + M + "\n        name_geo: NB\n        admin_url: https://contoso-admin.sharepoint.com\n        regions: { A: eastus2, B: westus2 }\n"),
    ("ck075-admin-url-http", "CK075", 1, sub("        admin_url: https://contoso-admin.sharepoint.com\n", "        admin_url: http://contoso-admin.sharepoint.com" + M + "\n")),
    ("ck076-admin-url-not-admin", "CK076", 0, sub("        admin_url: https://contoso-admin.sharepoint.com\n", "        admin_url: https://contoso.sharepoint.com" + M + "\n")),
    ("ck077-no-policies", "CK077", 1, lambda t: t.replace("    policies:\n      - name: USA_mailboxes\n        description: Mailboxes in the United States\n        regions: { A: eastus2, B: westus2 }\n        mailboxes: [alice@contoso.example]\n", "    policies: []" + M + "\n")),
    ("ck078-name-geo-long", "CK078", 1, sub("    name_geo: NA\n", "    name_geo: NORTH" + M + "\n")),
    ("ck079-mailbox-twice", "CK079", 1, sub("        mailboxes: [alice@contoso.example]\n", "        mailboxes: [alice@contoso.example, ALICE@contoso.example]" + M + "\n")),
    ("ck080-no-officers", "CK080", 1, lambda t: t.replace("officers:\n  - name: Erin Evans\n    email: erin.evans@contoso.example\n", "officers: []" + M + "\n")),
    # Managed HSM
    ("ck090-key-store-unknown", "CK090", 1, on_hsm(sub("key_store: managed_hsm\n", "key_store: hsm" + M + "\n"))),
    ("ck091-hsm-without-key-store", "CK091", 1, on_hsm(sub("key_store: managed_hsm\nmanaged_hsm:\n", "managed_hsm:" + M + "\n"))),
    ("ck092-hsm-name-too-long", "CK092", 1, on_hsm(sub('  name: "{prefix}-CK-HSM{side}"\n', '  name: "{prefix}-CustomerKey-ManagedHSM{side}"' + M + "\n"))),
    ("ck092-hsm-name-without-side", "CK092", 1, on_hsm(sub('  name: "{prefix}-CK-HSM{side}"\n', '  name: "{prefix}-CK-HSM"' + M + "\n"))),
    ("ck093-hsms-same-region", "CK093", 1, on_hsm(sub("  regions: { A: eastus2, B: westus2 }\n  administrators", "  regions: { A: eastus2, B: eastus2 }" + M + "\n  administrators"))),
    ("ck094-dep-region-not-hsm", "CK094", 1, on_hsm(sub("        regions: { A: eastus2, B: westus2 }\n        mailboxes", "        regions: { A: eastus2, B: westus3 }" + M + "\n        mailboxes"))),
    ("ck095-two-officers", "CK095", 1, on_hsm(sub("    officers:\n", "    officers:" + M + "\n"), sub("      - name: Grace Gupta\n        email: grace.gupta@contoso.example\n        public_key_sha256: %s\n" % FP3, ""))),
    ("ck096-quorum-one", "CK096", 1, on_hsm(sub("    quorum: 2\n", "    quorum: 1" + M + "\n"))),
    ("ck096-quorum-above-officers", "CK096", 1, on_hsm(sub("    quorum: 2\n", "    quorum: 4" + M + "\n"))),
    ("ck097-short-fingerprint", "CK097", 1, on_hsm(sub("        public_key_sha256: %s\n" % FP3, "        public_key_sha256: 4460f25d" + M + "\n"))),
    ("ck097-not-a-pem", "CK097", 1, on_hsm(sub("        public_key_sha256: %s\n" % FP3, "        public_key: |" + M + "\n          -----BEGIN PUBLIC KEY-----\n          AAAA\n          -----END PUBLIC KEY-----\n"))),
    ("ck098-officers-share-a-key", "CK098", 1, on_hsm(sub("      - name: Grace Gupta\n", "      - name: Grace Gupta" + M + "\n"), sub("public_key_sha256: %s" % FP3, "public_key_sha256: %s" % FP1.upper()))),
    ("ck099-hsm-keys-collide", "CK099", 1, on_hsm(sub('  key: "{prefix}-{workload}-{geo}-Key{side}{vault_seq}"\n', '  key: "{prefix}-Key{side}{vault_seq}"' + M + "\n"))),
    ("ck101-sharepoint-on-hsm", "CK101", 0, on_hsm(sub("  sharepoint:\n", "  sharepoint:" + M + "\n"))),
    ("ck100-hsm-software-key", "CK100", 1, on_hsm(sub("    type: RSA-HSM\n", "    type: RSA" + M + "\n"), sub("  sku: premium\n", "  sku: standard\n"))),
]

def main():
    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".yaml"):
            os.remove(os.path.join(OUT, old))
    for case in CASES:
        name, rid, code, fn = case[:4]
        body = fn(BASE)
        if len(case) > 4:
            line = case[4]
        else:
            marked = [i for i, l in enumerate(body.split("\n")) if l.endswith(M)]
            if len(marked) != 1:
                sys.exit("%s: %d markers" % (name, len(marked)))
            line = marked[0] + 1
        text = "# expect: %s %d %d\n" % (rid, line + 1, code) + body
        data = text.encode("utf-8", "surrogateescape")
        with open(os.path.join(OUT, name + ".yaml"), "wb") as f:
            f.write(data)
    print("%d cases" % len(CASES))

main()
