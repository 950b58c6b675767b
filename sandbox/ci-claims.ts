/**
 * Each CI's token claims and job variables as that CI documents them, so the sandbox can
 * mint tokens of every shape and tests can set up a job of every kind.
 */

export type CiName = "gitlab" | "circleci" | "buildkite" | "bitbucket" | "azure-devops" | "terraform" | "spacelift";

export interface CiShape {
  /** The `aud` the CI puts in its tokens by default. */
  audience: string;
  claims: Record<string, unknown>;
  /** The variables a job of this CI has (the token variable is added by the test). */
  env: Record<string, string>;
}

const ORG_ID = "b1f3a8d2-6c0e-4e55-9a57-0c6ad1f0c3a1";

export const CI_SHAPES: Record<CiName, CiShape> = {
  gitlab: {
    audience: "sts.amazonaws.com",
    claims: {
      sub: "project_path:platform/payments:ref_type:branch:ref:main",
      namespace_id: "72",
      namespace_path: "platform",
      project_id: "4242",
      project_path: "platform/payments",
      user_login: "alice",
      pipeline_id: "987654",
      pipeline_source: "push",
      job_id: "1234567",
      ref: "main",
      ref_type: "branch",
      ref_protected: "true",
      runner_environment: "gitlab-hosted",
      ci_config_ref_uri: "gitlab.com/platform/payments//.gitlab-ci.yml@refs/heads/main",
    },
    env: {
      GITLAB_CI: "true",
      CI_PROJECT_PATH: "platform/payments",
      CI_PIPELINE_ID: "987654",
      CI_JOB_ID: "1234567",
      CI_COMMIT_SHA: "a1b2c3d4",
      CI_COMMIT_REF_NAME: "main",
      GITLAB_USER_LOGIN: "alice",
    },
  },
  circleci: {
    audience: ORG_ID,
    claims: {
      sub: `org/${ORG_ID}/project/5d0c1f7e-2b4a-4c2e-9e8f-7a6b5c4d3e2f/user/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/vcs-origin/github.com/acme/app/vcs-ref/refs/heads/main`,
      "oidc.circleci.com/project-id": "5d0c1f7e-2b4a-4c2e-9e8f-7a6b5c4d3e2f",
      "oidc.circleci.com/context-ids": ["c0ffee00-0000-4000-8000-000000000001"],
      "oidc.circleci.com/vcs-origin": "github.com/acme/app",
      "oidc.circleci.com/vcs-ref": "refs/heads/main",
    },
    env: {
      CIRCLECI: "true",
      CIRCLE_PROJECT_REPONAME: "app",
      CIRCLE_PROJECT_USERNAME: "acme",
      CIRCLE_BUILD_NUM: "512",
      CIRCLE_WORKFLOW_ID: "wf-1",
      CIRCLE_SHA1: "deadbeef",
      CIRCLE_BRANCH: "main",
      CIRCLE_USERNAME: "bob",
    },
  },
  buildkite: {
    audience: "sts.amazonaws.com",
    claims: {
      sub: "organization:acme:pipeline:deploy:ref:refs/heads/main:commit:deadbeef:step:release",
      organization_slug: "acme",
      pipeline_slug: "deploy",
      build_number: 77,
      build_branch: "main",
      build_commit: "deadbeef",
      step_key: "release",
    },
    env: {
      BUILDKITE: "true",
      BUILDKITE_ORGANIZATION_SLUG: "acme",
      BUILDKITE_PIPELINE_SLUG: "deploy",
      BUILDKITE_BUILD_NUMBER: "77",
      BUILDKITE_JOB_ID: "job-1",
      BUILDKITE_COMMIT: "deadbeef",
      BUILDKITE_BRANCH: "main",
      BUILDKITE_RETRY_COUNT: "0",
    },
  },
  bitbucket: {
    audience: "ari:cloud:bitbucket::workspace/8c4e6f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a",
    claims: {
      sub: "{7f3a9c1e-2d4b-4e6f-8a0b-1c2d3e4f5a6b}:{0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d}",
      repositoryUuid: "{7f3a9c1e-2d4b-4e6f-8a0b-1c2d3e4f5a6b}",
      stepUuid: "{0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d}",
      workspaceUuid: "{8c4e6f0a-1b2c-4d3e-8f9a-0b1c2d3e4f5a}",
      branchName: "main",
    },
    env: {
      BITBUCKET_BUILD_NUMBER: "31",
      BITBUCKET_WORKSPACE: "acme",
      BITBUCKET_REPO_FULL_NAME: "acme/app",
      BITBUCKET_COMMIT: "deadbeef",
      BITBUCKET_BRANCH: "main",
      BITBUCKET_STEP_UUID: "{0a1b2c3d}",
    },
  },
  "azure-devops": {
    audience: "api://AzureADTokenExchange",
    claims: { sub: "sc://acme/payments/aws-prod" },
    env: {
      TF_BUILD: "True",
      SYSTEM_TEAMPROJECT: "payments",
      BUILD_REPOSITORY_NAME: "payments-api",
      BUILD_BUILDID: "2048",
      SYSTEM_JOBATTEMPT: "1",
      BUILD_SOURCEVERSION: "deadbeef",
      BUILD_SOURCEBRANCH: "refs/heads/main",
      BUILD_DEFINITIONNAME: "release",
    },
  },
  terraform: {
    audience: "aws.workload.identity",
    claims: {
      sub: "organization:acme:project:infra:workspace:prod-network:run_phase:apply",
      terraform_organization_name: "acme",
      terraform_project_name: "infra",
      terraform_workspace_name: "prod-network",
      terraform_run_phase: "apply",
      terraform_full_workspace: "organization:acme:project:infra:workspace:prod-network",
    },
    env: { TFC_RUN_ID: "run-AbCdEf123", TFC_WORKSPACE_NAME: "prod-network", TFC_PROJECT_NAME: "infra" },
  },
  spacelift: {
    audience: "acme.app.spacelift.io",
    claims: {
      sub: "space:root:stack:network:run_type:TRACKED:scope:write",
      spaceId: "root",
      callerType: "stack",
      callerId: "network",
      runType: "TRACKED",
      runId: "01HXYZ",
      scope: "write",
    },
    env: {
      TF_VAR_spacelift_run_id: "01HXYZ",
      TF_VAR_spacelift_stack_id: "network",
      TF_VAR_spacelift_commit_sha: "deadbeef",
      TF_VAR_spacelift_commit_branch: "main",
    },
  },
};
