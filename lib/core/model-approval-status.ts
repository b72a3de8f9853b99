/**
 * Approval status of a model package, as SageMaker writes it in `ModelApprovalStatus`
 * (API, EventBridge events and `ListModelPackages` filters).
 */
export enum ModelApprovalStatus {
  /** Registered, waiting for a person (or an automated judge) to decide. */
  PENDING_MANUAL_APPROVAL = 'PendingManualApproval',
  /** Approved: may be deployed. */
  APPROVED = 'Approved',
  /** Rejected: must not be deployed. */
  REJECTED = 'Rejected',
}
