"""EC2: security groups and their ingress rules (S08: may the service reach the database port?)."""

from __future__ import annotations

from collections.abc import Sequence

from kojan_tui.aws.base import AwsBase
from kojan_tui.core.resources import IngressRule, SecurityGroup


class Ec2Calls(AwsBase):
    async def describe_security_groups(self, group_ids: Sequence[str]) -> list[SecurityGroup]:
        if not group_ids:
            return []
        raw = await self._call("ec2", "DescribeSecurityGroups", GroupIds=list(group_ids))
        return [security_group(g) for g in raw.get("SecurityGroups", []) or []]


def security_group(raw: dict) -> SecurityGroup:
    rules = tuple(
        IngressRule(
            protocol=str(p.get("IpProtocol", "")),
            from_port=p.get("FromPort"),
            to_port=p.get("ToPort"),
            source_groups=tuple(str(g.get("GroupId", "")) for g in p.get("UserIdGroupPairs", []) or []),
            cidrs=tuple(str(r.get("CidrIp", "")) for r in p.get("IpRanges", []) or []),
        )
        for p in raw.get("IpPermissions", []) or []
    )
    return SecurityGroup(str(raw.get("GroupId", "")), str(raw.get("GroupName", "")), rules)
