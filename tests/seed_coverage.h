/* seed_coverage.h: every section of the two seed documents (by its heading,
 * as written there) and the step templates that cover it. test_steps.c fails
 * when a template named here is missing from the catalogue, when a template
 * of the catalogue is named by no section (a step with no source), and, when
 * CK_SEEDS_DIR points at the seed files, when a heading is not in its file.
 * "-" marks a section that holds no task (introductions, overviews). */
#ifndef CK_SEED_COVERAGE_H
#define CK_SEED_COVERAGE_H

struct seed_section {
	const char *file;     /* 000 (2023) or 004 (2018) */
	const char *heading;
	const char *templates; /* space-separated template ids, or "-" */
};

static const struct seed_section seed_sections[] = {
	/* 000: Set up Customer Key - Microsoft Purview (2023) */
	{ "000", "Before you set up Customer Key", "prereq.licences" },
	{ "000", "Overview of steps to set up Customer Key", "prereq.tools" },
	{ "000", "Complete tasks in Azure Key Vault and Microsoft FastTrack for Customer Key", "-" },
	{ "000", "Create two new Azure subscriptions", "sub.create" },
	{ "000", "Submit a request to activate Customer Key for Office 365", "fasttrack.request" },
	{ "000", "Register Azure subscriptions to use a mandatory retention period",
	  "retention.register" },
	{ "000", "Contact the corresponding Microsoft alias to proceed with the process",
	  "retention.check onboard.email" },
	{ "000", "Verify the status of each your Azure Subscriptions", "retention.verify" },
	{ "000", "Create a premium Azure Key Vault in each subscription", "rg.create vault.create" },
	{ "000", "Assign permissions to each key vault",
	  "vault.admins vault.contributors vault.service vault.access_check manage.grant_delete "
	  "manage.revoke_delete" },
	{ "000", "Make sure soft delete is enabled on your key vaults", "vault.softdelete" },
	{ "000", "Add a key to each key vault either by creating or importing a key",
	  "key.create key.import" },
	{ "000", "Verify expiration date of your keys", "key.expiry" },
	{ "000", "Check the recovery level of your keys", "key.recovery" },
	{ "000", "Back up Azure Key Vault", "key.backup" },
	{ "000", "Obtain the URI for each Azure Key Vault key", "key.uri" },
	{ "000", "Next steps", "dep.multi.create dep.multi.assign dep.multi.verify "
			       "manage.refresh.multi" },

	/* 004: Controlling your data in Office 365 using Customer Key (2018) */
	{ "004", "Before you begin setting up Customer Key", "prereq.licences" },
	{ "004", "Overview of setting up Customer Key for Office 365", "prereq.tools" },
	{ "004", "Complete tasks in Azure Key Vault and Microsoft FastTrack for Customer Key", "-" },
	{ "004", "Create two new Azure subscriptions", "sub.create" },
	{ "004", "Submit a request to activate Customer Key for Office 365", "fasttrack.request" },
	{ "004", "Register Azure subscriptions to use a mandatory retention period",
	  "retention.register onboard.email retention.verify provider.register" },
	{ "004", "Create a premium Azure Key Vault in each subscription", "rg.create vault.create" },
	{ "004", "Assign permissions to each key vault",
	  "vault.admins vault.contributors vault.service" },
	{ "004", "Enable and then confirm soft delete on your key vaults", "vault.softdelete" },
	{ "004", "Add a key to each key vault either by creating or importing a key",
	  "key.create key.import" },
	{ "004", "Check the recovery level of your keys", "key.recovery" },
	{ "004", "Backup Azure Key Vault", "key.backup" },
	{ "004", "Validate Azure Key Vault configuration settings", "vault.validate key.expiry" },
	{ "004", "Obtain the URI for each Azure Key Vault key", "key.uri" },
	{ "004", "Office 365: Setting up Customer Key for Exchange Online and Skype for Business",
	  "-" },
	{ "004", "Create a data encryption policy (DEP) for use with Exchange Online and Skype for "
		 "Business", "dep.exchange.create" },
	{ "004", "Assign a DEP to a mailbox", "dep.exchange.assign" },
	{ "004", "Validate mailbox encryption", "dep.exchange.verify" },
	{ "004", "Office 365: Setting up Customer Key for SharePoint Online and OneDrive for "
		 "Business", "-" },
	{ "004", "Create a data encryption policy (DEP) for each SharePoint Online and OneDrive for "
		 "Business geo", "dep.sharepoint.register" },
	{ "004", "Validate encryption of Group Sites, Team Sites, and OneDrive for Business",
	  "dep.sharepoint.verify" },
	{ "004", "Managing Customer Key for Office 365", "-" },
	{ "004", "Restore Azure Key Vault keys", "manage.restore manage.restore_revoke" },
	{ "004", "Rolling or rotating a key in Azure Key Vault that you use with Customer Key",
	  "manage.roll manage.roll_backup" },
	{ "004", "Enable Exchange Online and Skype for Business to use a new key after you roll or "
		 "rotate keys in Azure Key Vault",
	  "manage.refresh.exchange manage.refresh_check.exchange" },
	{ "004", "Enable SharePoint Online and OneDrive for Business to use a new key after you "
		 "roll or rotate keys in Azure Key Vault", "manage.refresh.sharepoint" },
	{ "004", "Manage key vault permissions", "manage.remove_admin" },
	{ "004", "Determine the DEP assigned to a mailbox", "manage.find_dep" },

	/* Microsoft's current pages (catalogue version 2; doc/steps.md names each
	 * page and the date it was read). Their headings are not checked. */
	{ "web", "Set up Customer Key (learn.microsoft.com/purview/customer-key-set-up)",
	  "sp.register prereq.tools onboard.service.validate onboard.service.enable" },
	{ "web", "Roll or rotate a customer key", "manage.replace.exchange manage.replace.multi" },
	{ "web", "Manage Customer Key", "manage.mailuser.assign manage.unassign.exchange "
	  "manage.dep_disable.exchange manage.inventory" },
	{ "web", "Manage Customer Key: offboarding and the data purge path",
	  "offboard.exchange.revoke offboard.exchange.purge_request offboard.exchange.purge_document "
	  "offboard.sharepoint.revoke offboard.multi.support" },
	/* Catalogue version 3: Managed HSM (doc/steps.md, "Managed HSM"). */
	{ "web", "Customer Key with Managed HSM (learn.microsoft.com/purview/customer-key-managedhsm)",
	  "hsm.create hsm.officer.key hsm.activate hsm.officer.ack hsm.check hsm.role.admins "
	  "hsm.role.service hsm.recovery_rehearsal" },
};

#endif
