"""The event catalogue: every kind the platform records, in one table.

Each entry says what the event means, which payload fields it carries, who is notified in the in-app
inbox (and by e-mail) and which partners see it (event log, webhooks):

- ``partners="routed"``: only the partners named in ``event.partners`` (the carrier of a shipment,
  the banks a financing request was routed to, the law firm assigned to a case);
- ``partners="all_partners"``: a public fact every partner may know (an enterprise was verified,
  a certificate was revoked).

``notify`` names audiences resolved by ``agri_platform.events.routing``:

- ``reviewers``: staff with the reviewer role; ``officers``: staff with the officer role;
- ``enterprise_admins``: owners and admins of ``event.enterprise``;
  ``enterprise_members``: every member of it;
- ``partner_users``: the people (not API service accounts) of the partners in ``event.partners``.

The person who caused the event (``actor``) is never notified of their own action.
``record()`` refuses a kind that is not listed here, so this table and docs/events.md stay complete.
"""

from dataclasses import dataclass

ROUTED = "routed"
ALL_PARTNERS = "all_partners"

AUDIENCES = (
    "reviewers",
    "officers",
    "enterprise_admins",
    "enterprise_members",
    "partner_users",
)


@dataclass(frozen=True)
class EventKind:
    kind: str
    description: str
    fields: tuple[str, ...]
    notify: tuple[str, ...] = ()
    partners: str = ROUTED
    title_en: str = ""
    title_zh: str = ""


_ENTERPRISE = ("enterprise_id", "uscc", "name_zh", "name_en", "status")
_APPLICATION = ("application_id", "enterprise_id", "scheme", "status")
_CERTIFICATE = (
    "certificate_id",
    "number",
    "enterprise_id",
    "scheme",
    "status",
    "issue_date",
    "expiry_date",
)
_SHIPMENT = ("shipment_id", "reference", "status", "enterprise_id", "carrier_id")
_EXCURSION = (
    "shipment_id",
    "reference",
    "excursion_id",
    "sensor_id",
    "started_at",
    "ended_at",
    "peak_c",
    "direction",
    "duration_minutes",
    "severity",
    "band_c",
)
_FIN_REQUEST = ("request_id", "kind", "status", "amount", "currency", "term_days")
_FIN_OFFER = (
    "request_id",
    "offer_id",
    "partner_id",
    "status",
    "amount",
    "currency",
    "rate_percent",
    "term_days",
    "fees",
    "valid_until",
)
_LEGAL = ("request_id", "kind", "status", "title", "deadline", "assigned_firm_id")
_BUYER = ("buyer_id", "partner_id", "name", "country", "buyer_kind", "status")
_INQUIRY = (
    "inquiry_id",
    "enterprise_id",
    "buyer_id",
    "status",
    "destination",
    "incoterm",
    "product_ids",
)
_QUOTE = (
    "quote_id",
    "inquiry_id",
    "enterprise_id",
    "buyer_id",
    "status",
    "currency",
    "valid_until",
    "lead_time_days",
)
_PROMOTION = ("promotion_id", "title_en", "kind", "city", "country", "starts_on", "ends_on")

E = EventKind
CATALOGUE_ENTRIES: tuple[EventKind, ...] = (
    # --- enterprises ----------------------------------------------------------------------------
    E(
        "enterprise.registered",
        "An enterprise registered and waits for verification.",
        (*_ENTERPRISE, "registered_outside_sichuan"),
        ("reviewers",),
        ROUTED,
        "New enterprise to verify: {name_en}",
        "待审核的新企业：{name_zh}",
    ),
    E(
        "enterprise.verified",
        "Staff verified an enterprise: it may now apply, ship and ask for finance.",
        _ENTERPRISE,
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Enterprise verified: {name_en}",
        "企业已通过审核：{name_zh}",
    ),
    E(
        "enterprise.rejected",
        "Staff rejected an enterprise's registration, with a reason.",
        (*_ENTERPRISE, "reason"),
        ("enterprise_admins",),
        ROUTED,
        "Enterprise registration rejected: {name_en}",
        "企业注册未通过：{name_zh}",
    ),
    E(
        "enterprise.suspended",
        "Staff suspended a verified enterprise, with a reason.",
        (*_ENTERPRISE, "reason"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Enterprise suspended: {name_en}",
        "企业已被暂停：{name_zh}",
    ),
    E(
        "enterprise.reinstated",
        "Staff lifted an enterprise's suspension.",
        (*_ENTERPRISE, "reason"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Enterprise reinstated: {name_en}",
        "企业已恢复：{name_zh}",
    ),
    E(
        "enterprise.updated",
        "An enterprise's profile changed.",
        (*_ENTERPRISE, "fields"),
        (),
        ROUTED,
        "Enterprise profile updated: {name_en}",
        "企业资料已更新：{name_zh}",
    ),
    E(
        "enterprise.resubmitted",
        "A rejected enterprise registration was corrected and submitted again.",
        _ENTERPRISE,
        ("reviewers",),
        ROUTED,
        "Enterprise registration resubmitted: {name_en}",
        "企业注册已重新提交：{name_zh}",
    ),
    E(
        "enterprise.member_invited",
        "An owner or admin invited a person to the team.",
        (*_ENTERPRISE, "invitation_id", "email", "role"),
        ("enterprise_admins",),
        ROUTED,
        "Invitation sent to {email}",
        "已邀请 {email}",
    ),
    E(
        "enterprise.invitation_revoked",
        "An invitation was revoked before it was accepted.",
        (*_ENTERPRISE, "invitation_id", "email"),
        ("enterprise_admins",),
        ROUTED,
        "Invitation to {email} revoked",
        "已撤销对 {email} 的邀请",
    ),
    E(
        "enterprise.member_joined",
        "An invited person joined the team.",
        (*_ENTERPRISE, "user_id", "role", "invitation_id", "email"),
        ("enterprise_admins",),
        ROUTED,
        "New team member ({role})",
        "新增团队成员（{role}）",
    ),
    E(
        "enterprise.member_role_changed",
        "A team member's role changed.",
        (*_ENTERPRISE, "user_id", "role", "previous_role"),
        ("enterprise_admins",),
        ROUTED,
        "Team member role changed to {role}",
        "团队成员角色已改为 {role}",
    ),
    E(
        "enterprise.member_removed",
        "A person was removed from the team.",
        (*_ENTERPRISE, "user_id", "role"),
        ("enterprise_admins",),
        ROUTED,
        "Team member removed",
        "团队成员已移除",
    ),
    E(
        "enterprise.production_base_added",
        "A production base (orchard, farm, plant) was added.",
        (*_ENTERPRISE, "production_base_id", "name"),
        (),
        ROUTED,
        "Production base added: {name}",
        "已添加生产基地：{name}",
    ),
    E(
        "enterprise.production_base_updated",
        "A production base changed.",
        (*_ENTERPRISE, "production_base_id", "name"),
        (),
        ROUTED,
        "Production base updated: {name}",
        "生产基地已更新：{name}",
    ),
    E(
        "enterprise.production_base_removed",
        "A production base was removed.",
        (*_ENTERPRISE, "production_base_id", "name"),
        (),
        ROUTED,
        "Production base removed: {name}",
        "生产基地已移除：{name}",
    ),
    E(
        "enterprise.product_added",
        "A product was added to the enterprise's catalogue.",
        (*_ENTERPRISE, "product_id", "product_name_zh", "hs_code"),
        (),
        ROUTED,
        "Product added",
        "已添加产品",
    ),
    E(
        "enterprise.product_updated",
        "A product changed (for example its storage band).",
        (*_ENTERPRISE, "product_id"),
        (),
        ROUTED,
        "Product updated",
        "产品已更新",
    ),
    E(
        "enterprise.product_removed",
        "A product was removed.",
        (*_ENTERPRISE, "product_id"),
        (),
        ROUTED,
        "Product removed",
        "产品已移除",
    ),
    # --- certification ----------------------------------------------------------------------------
    E(
        "certification.application.submitted",
        "An enterprise submitted a certification application for review.",
        (*_APPLICATION, "sla_due_at"),
        ("reviewers",),
        ROUTED,
        "Certification application #{application_id} submitted ({scheme})",
        "认证申请 #{application_id} 已提交（{scheme}）",
    ),
    E(
        "certification.application.claimed",
        "A reviewer took an application on.",
        (*_APPLICATION, "reviewer_id"),
        ("enterprise_admins",),
        ROUTED,
        "Application #{application_id} is being reviewed",
        "认证申请 #{application_id} 正在审核",
    ),
    E(
        "certification.application.assigned",
        "Staff assigned an application to a reviewer.",
        (*_APPLICATION, "reviewer_id", "assigned_by_id"),
        ("reviewers",),
        ROUTED,
        "Application #{application_id} assigned for review",
        "认证申请 #{application_id} 已分配审核",
    ),
    E(
        "certification.application.changes_requested",
        "The reviewer asked the enterprise for changes.",
        (*_APPLICATION, "comment"),
        ("enterprise_admins",),
        ROUTED,
        "Changes requested on application #{application_id}",
        "认证申请 #{application_id} 需要修改",
    ),
    E(
        "certification.application.resubmitted",
        "The enterprise resubmitted an application after changes.",
        (*_APPLICATION, "sla_due_at"),
        ("reviewers",),
        ROUTED,
        "Application #{application_id} resubmitted",
        "认证申请 #{application_id} 已重新提交",
    ),
    E(
        "certification.application.approved",
        "The reviewer approved an application (a certificate follows).",
        (*_APPLICATION, "certificate_id", "certificate_number"),
        ("enterprise_admins",),
        ROUTED,
        "Application #{application_id} approved",
        "认证申请 #{application_id} 已批准",
    ),
    E(
        "certification.application.rejected",
        "The reviewer rejected an application, with a reason.",
        (*_APPLICATION, "reason"),
        ("enterprise_admins",),
        ROUTED,
        "Application #{application_id} rejected",
        "认证申请 #{application_id} 未通过",
    ),
    E(
        "certification.application.withdrawn",
        "The enterprise withdrew an application.",
        _APPLICATION,
        ("reviewers",),
        ROUTED,
        "Application #{application_id} withdrawn",
        "认证申请 #{application_id} 已撤回",
    ),
    E(
        "certificate.issued",
        "A certificate was issued; it is publicly verifiable by its number.",
        (*_CERTIFICATE, "application_id"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Certificate {number} issued",
        "证书 {number} 已签发",
    ),
    E(
        "certificate.expiring",
        "Certificates of one enterprise expire soon (one event per enterprise and day, reminders at 90, 30 and 7 days).",
        ("enterprise_id", "date", "certificates"),
        ("enterprise_admins",),
        ROUTED,
        "Certificates expiring soon",
        "证书即将到期",
    ),
    E(
        "certificate.expired",
        "A certificate reached its end date.",
        _CERTIFICATE,
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Certificate {number} expired",
        "证书 {number} 已过期",
    ),
    E(
        "certificate.suspended",
        "Staff suspended a certificate, with a reason.",
        (*_CERTIFICATE, "reason"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Certificate {number} suspended",
        "证书 {number} 已暂停",
    ),
    E(
        "certificate.revoked",
        "Staff revoked a certificate, with a reason.",
        (*_CERTIFICATE, "reason"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Certificate {number} revoked",
        "证书 {number} 已撤销",
    ),
    E(
        "certificate.reinstated",
        "Staff lifted a certificate's suspension.",
        (*_CERTIFICATE, "reason"),
        ("enterprise_admins",),
        ALL_PARTNERS,
        "Certificate {number} reinstated",
        "证书 {number} 已恢复",
    ),
    # --- logistics ----------------------------------------------------------------------------
    E(
        "shipment.booked",
        "An enterprise booked a cold-chain shipment with a carrier.",
        (*_SHIPMENT, "origin", "destination", "product_ids"),
        ("partner_users",),
        ROUTED,
        "Shipment {reference} booked",
        "运单 {reference} 已预订",
    ),
    E(
        "shipment.dispatched",
        "A shipment passed the readiness check and was dispatched.",
        (*_SHIPMENT, "from_status", "dispatched_at"),
        ("enterprise_members", "partner_users"),
        ROUTED,
        "Shipment {reference} dispatched",
        "运单 {reference} 已发运",
    ),
    E(
        "shipment.status_changed",
        "A tracking milestone moved the shipment to another status.",
        (*_SHIPMENT, "from_status", "milestone", "occurred_at"),
        ("enterprise_members",),
        ROUTED,
        "Shipment {reference}: {status}",
        "运单 {reference}：{status}",
    ),
    E(
        "shipment.delivered",
        "A shipment was delivered to the consignee.",
        (*_SHIPMENT, "delivered_at"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Shipment {reference} delivered",
        "运单 {reference} 已送达",
    ),
    E(
        "shipment.cancelled",
        "The enterprise cancelled a shipment.",
        (*_SHIPMENT, "from_status", "reason"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Shipment {reference} cancelled",
        "运单 {reference} 已取消",
    ),
    E(
        "shipment.exception",
        "The carrier reported an exception (damage, delay, hold).",
        (*_SHIPMENT, "note", "occurred_at"),
        ("enterprise_admins",),
        ROUTED,
        "Exception on shipment {reference}",
        "运单 {reference} 出现异常",
    ),
    E(
        "shipment.temperature_excursion.started",
        "Readings stayed outside the product's band past the delay: one event per excursion.",
        _EXCURSION,
        ("enterprise_members", "partner_users"),
        ROUTED,
        "Temperature excursion on shipment {reference}",
        "运单 {reference} 温度超标",
    ),
    E(
        "shipment.temperature_excursion.ended",
        "Readings returned to the band: the excursion closed.",
        _EXCURSION,
        ("enterprise_members", "partner_users"),
        ROUTED,
        "Temperature excursion ended on shipment {reference}",
        "运单 {reference} 温度已恢复正常",
    ),
    E(
        "shipment.temperature_excursion.acknowledged",
        "Staff or the enterprise acknowledged an excursion with a comment.",
        (*_EXCURSION, "comment"),
        ("partner_users",),
        ROUTED,
        "Excursion acknowledged on shipment {reference}",
        "运单 {reference} 温度异常已确认",
    ),
    # --- finance ----------------------------------------------------------------------------
    E(
        "finance.request.submitted",
        "An enterprise submitted a financing or insurance request.",
        _FIN_REQUEST,
        ("officers",),
        ROUTED,
        "Financing request #{request_id} submitted",
        "融资申请 #{request_id} 已提交",
    ),
    E(
        "finance.request.routed",
        "An officer routed a request to partner banks or insurers.",
        (*_FIN_REQUEST, "partner_ids"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Financing request #{request_id} sent to partners",
        "融资申请 #{request_id} 已转给合作机构",
    ),
    E(
        "finance.request.withdrawn",
        "The enterprise withdrew a request.",
        (*_FIN_REQUEST, "reason"),
        ("officers", "partner_users"),
        ROUTED,
        "Financing request #{request_id} withdrawn",
        "融资申请 #{request_id} 已撤回",
    ),
    E(
        "finance.request.disbursed",
        "The accepted offer was disbursed (or the policy bound).",
        (*_FIN_REQUEST, "offer_id", "reference"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Financing request #{request_id} disbursed",
        "融资申请 #{request_id} 已放款",
    ),
    E(
        "finance.request.declined",
        "An officer turned the request down, with a reason.",
        (*_FIN_REQUEST, "reason"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Financing request #{request_id} declined",
        "融资申请 #{request_id} 未获受理",
    ),
    E(
        "finance.request.bound",
        "The accepted insurance offer was bound (the policy is in force).",
        (*_FIN_REQUEST, "offer_id", "reference"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Insurance for request #{request_id} bound",
        "申请 #{request_id} 的保险已生效",
    ),
    E(
        "finance.request.evidence_added",
        "The enterprise linked a shipment or certificate as evidence.",
        (*_FIN_REQUEST, "evidence_kind", "object_id"),
        ("partner_users",),
        ROUTED,
        "New evidence on financing request #{request_id}",
        "融资申请 #{request_id} 新增证明材料",
    ),
    E(
        "finance.request.closed",
        "A financing request was closed.",
        _FIN_REQUEST,
        ("enterprise_admins",),
        ROUTED,
        "Financing request #{request_id} closed",
        "融资申请 #{request_id} 已关闭",
    ),
    E(
        "finance.request.expired",
        "A routed request got no accepted offer in time.",
        _FIN_REQUEST,
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Financing request #{request_id} expired",
        "融资申请 #{request_id} 已过期",
    ),
    E(
        "finance.offer.received",
        "A partner posted an offer on a routed request.",
        _FIN_OFFER,
        ("enterprise_admins",),
        ROUTED,
        "New offer on financing request #{request_id}",
        "融资申请 #{request_id} 收到新报价",
    ),
    E(
        "finance.offer.accepted",
        "The enterprise accepted an offer (the others were declined).",
        _FIN_OFFER,
        ("partner_users",),
        ROUTED,
        "Offer #{offer_id} accepted",
        "报价 #{offer_id} 已被接受",
    ),
    E(
        "finance.offer.declined",
        "An offer was declined (by the enterprise or because another was accepted).",
        (*_FIN_OFFER, "reason"),
        ("partner_users",),
        ROUTED,
        "Offer #{offer_id} declined",
        "报价 #{offer_id} 未被接受",
    ),
    E(
        "finance.offer.withdrawn",
        "The partner withdrew its offer.",
        _FIN_OFFER,
        ("enterprise_admins",),
        ROUTED,
        "Offer #{offer_id} withdrawn",
        "报价 #{offer_id} 已撤回",
    ),
    E(
        "finance.offer.expired",
        "An offer passed its validity.",
        _FIN_OFFER,
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Offer #{offer_id} expired",
        "报价 #{offer_id} 已过期",
    ),
    # --- legal ----------------------------------------------------------------------------
    E(
        "legal.request.submitted",
        "An enterprise asked for a legal service.",
        (*_LEGAL, "countries"),
        ("officers",),
        ROUTED,
        "Legal request #{request_id} submitted",
        "法律服务申请 #{request_id} 已提交",
    ),
    E(
        "legal.request.assigned",
        "An officer assigned the case to a partner law firm.",
        _LEGAL,
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Legal request #{request_id} assigned",
        "法律服务申请 #{request_id} 已分配",
    ),
    E(
        "legal.request.unassigned",
        "The case was taken from a law firm (reassigned to another).",
        _LEGAL,
        ("partner_users",),
        ROUTED,
        "Legal request #{request_id} reassigned",
        "法律服务申请 #{request_id} 已改派",
    ),
    E(
        "legal.request.document_added",
        "A document was added to the case.",
        (*_LEGAL, "document_id"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "New document on legal request #{request_id}",
        "法律服务申请 #{request_id} 有新文件",
    ),
    E(
        "legal.request.designation_updated",
        "The status of one country's trademark designation changed.",
        (*_LEGAL, "country", "designation_status"),
        ("enterprise_admins",),
        ROUTED,
        "Legal request #{request_id}: {country} designation {designation_status}",
        "法律服务申请 #{request_id}：{country} 指定状态 {designation_status}",
    ),
    E(
        "legal.request.started",
        "The law firm started work on the case.",
        _LEGAL,
        ("enterprise_admins",),
        ROUTED,
        "Work started on legal request #{request_id}",
        "法律服务申请 #{request_id} 已开始处理",
    ),
    E(
        "legal.request.awaiting_client",
        "The law firm waits for the enterprise.",
        (*_LEGAL, "reason"),
        ("enterprise_admins",),
        ROUTED,
        "Legal request #{request_id} waits for you",
        "法律服务申请 #{request_id} 等待您的回复",
    ),
    E(
        "legal.request.resolved",
        "The law firm resolved the case.",
        _LEGAL,
        ("enterprise_admins",),
        ROUTED,
        "Legal request #{request_id} resolved",
        "法律服务申请 #{request_id} 已解决",
    ),
    E(
        "legal.request.closed",
        "The case was closed.",
        _LEGAL,
        ("partner_users",),
        ROUTED,
        "Legal request #{request_id} closed",
        "法律服务申请 #{request_id} 已关闭",
    ),
    E(
        "legal.request.withdrawn",
        "The enterprise withdrew the request before resolution.",
        (*_LEGAL, "reason"),
        ("officers", "partner_users"),
        ROUTED,
        "Legal request #{request_id} withdrawn",
        "法律服务申请 #{request_id} 已撤回",
    ),
    E(
        "legal.request.deadline_reminder",
        "A legal request's deadline is near.",
        (*_LEGAL, "days_left", "threshold_days"),
        ("enterprise_admins", "partner_users"),
        ROUTED,
        "Legal request #{request_id}: deadline in {days_left} days",
        "法律服务申请 #{request_id}：距截止还有 {days_left} 天",
    ),
    E(
        "legal.message.posted",
        "A message was posted in a case thread (internal notes never produce an event).",
        (*_LEGAL, "message_id", "author_side", "attachments"),
        ("enterprise_members", "partner_users"),
        ROUTED,
        "New message on legal request #{request_id}",
        "法律服务申请 #{request_id} 有新消息",
    ),
    # --- overseas buyers, inquiries, quotes (trade) ---------------------------------------------
    # The buyer organisation is a partner of kind "buyer": events about its inquiries are routed to
    # it (webhooks, its people's inbox); the enterprise asked is `event.enterprise`.
    E(
        "buyer.registered",
        "An overseas buyer registered and waits for the staff's verification.",
        _BUYER,
        ("reviewers",),
        ROUTED,
        "New buyer {name} to verify",
        "新采购商 {name} 待核验",
    ),
    E(
        "buyer.verified",
        "Staff verified a buyer: its inquiries show it as verified.",
        _BUYER,
        ("partner_users",),
        ROUTED,
        "Your buyer account is verified",
        "您的采购商账户已通过核验",
    ),
    E(
        "buyer.rejected",
        "Staff rejected a buyer's registration (the reason says why).",
        (*_BUYER, "reason"),
        ("partner_users",),
        ROUTED,
        "Your buyer account was not verified",
        "您的采购商账户未通过核验",
    ),
    E(
        "buyer.suspended",
        "Staff suspended a buyer: it cannot send inquiries.",
        (*_BUYER, "reason"),
        ("partner_users",),
        ROUTED,
        "Your buyer account is suspended",
        "您的采购商账户已暂停",
    ),
    E(
        "inquiry.sent",
        "A buyer sent an enterprise an inquiry.",
        _INQUIRY,
        ("enterprise_members",),
        ROUTED,
        "New inquiry #{inquiry_id} from an overseas buyer",
        "收到海外采购商询盘 #{inquiry_id}",
    ),
    E(
        "inquiry.declined",
        "The enterprise declined the inquiry (the reason is shown to the buyer).",
        (*_INQUIRY, "reason"),
        ("partner_users",),
        ROUTED,
        "Inquiry #{inquiry_id} declined",
        "询盘 #{inquiry_id} 已被婉拒",
    ),
    E(
        "inquiry.withdrawn",
        "The buyer withdrew the inquiry.",
        (*_INQUIRY, "reason"),
        ("enterprise_members",),
        ROUTED,
        "Inquiry #{inquiry_id} withdrawn by the buyer",
        "询盘 #{inquiry_id} 已被采购商撤回",
    ),
    E(
        "inquiry.message_posted",
        "A message was written on an inquiry, by the buyer or the enterprise.",
        (*_INQUIRY, "message_id", "author_side"),
        ("enterprise_members", "partner_users"),
        ROUTED,
        "New message on inquiry #{inquiry_id}",
        "询盘 #{inquiry_id} 有新消息",
    ),
    E(
        "quote.sent",
        "The enterprise answered an inquiry with a quote.",
        _QUOTE,
        ("partner_users",),
        ROUTED,
        "Quote #{quote_id} on inquiry #{inquiry_id}",
        "询盘 #{inquiry_id} 收到报价 #{quote_id}",
    ),
    E(
        "quote.accepted",
        "The buyer accepted a quote: a shipment draft was opened for the enterprise.",
        (*_QUOTE, "shipment_draft_id"),
        ("enterprise_members",),
        ROUTED,
        "Quote #{quote_id} accepted",
        "报价 #{quote_id} 已被接受",
    ),
    E(
        "quote.declined",
        "The buyer declined a quote.",
        (*_QUOTE, "reason"),
        ("enterprise_members",),
        ROUTED,
        "Quote #{quote_id} declined",
        "报价 #{quote_id} 已被拒绝",
    ),
    E(
        "quote.withdrawn",
        "The enterprise withdrew a quote before the buyer decided.",
        (*_QUOTE, "reason"),
        ("partner_users",),
        ROUTED,
        "Quote #{quote_id} withdrawn",
        "报价 #{quote_id} 已撤回",
    ),
    E(
        "quote.expired",
        "A quote passed its validity date without a decision.",
        _QUOTE,
        ("enterprise_members", "partner_users"),
        ROUTED,
        "Quote #{quote_id} expired",
        "报价 #{quote_id} 已过期",
    ),
    E(
        "buyer.blocked",
        "An enterprise blocked a buyer: it takes no more inquiries from it (the buyer is not told).",
        ("buyer_id", "enterprise_id"),
        (),
        ROUTED,
        "Buyer blocked",
        "已屏蔽采购商",
    ),
    E(
        "buyer.unblocked",
        "An enterprise lifted its block of a buyer.",
        ("buyer_id", "enterprise_id"),
        (),
        ROUTED,
        "Buyer unblocked",
        "已取消屏蔽采购商",
    ),
    E(
        "shipment.draft_opened",
        "A shipment draft was opened for the enterprise (from an accepted quote), with the "
        "readiness check for its destination market.",
        ("shipment_draft_id", "enterprise_id", "destination", "source", "ready"),
        ("enterprise_members",),
        ROUTED,
        "Shipment draft #{shipment_draft_id} opened",
        "已生成运单草稿 #{shipment_draft_id}",
    ),
    # --- promotion events (trade fairs, tastings, buyer meetings) ------------------------------
    E(
        "promotion.published",
        "Staff published an overseas promotion event.",
        _PROMOTION,
        (),
        ALL_PARTNERS,
        "Promotion event: {title_en}",
        "推介活动：{title_en}",
    ),
    E(
        "promotion.cancelled",
        "Staff cancelled a published promotion event.",
        (*_PROMOTION, "reason"),
        (),
        ALL_PARTNERS,
        "Promotion event cancelled: {title_en}",
        "推介活动已取消：{title_en}",
    ),
    E(
        "promotion.signed_up",
        "An enterprise signed up for a promotion event with the products it will show.",
        (*_PROMOTION, "participant_id", "enterprise_id", "product_ids"),
        ("officers",),
        ROUTED,
        "An enterprise signed up for {title_en}",
        "有企业报名参加 {title_en}",
    ),
    E(
        "promotion.withdrawn",
        "An enterprise withdrew from a promotion event.",
        (*_PROMOTION, "participant_id", "enterprise_id"),
        ("officers",),
        ROUTED,
        "An enterprise withdrew from {title_en}",
        "有企业退出 {title_en}",
    ),
    # --- partners (identity) --------------------------------------------------------------------
    E(
        "partner.created",
        "Staff registered a partner organisation.",
        ("partner", "kind"),
        (),
        ROUTED,
        "Partner organisation registered",
        "合作机构已登记",
    ),
    E(
        "partner.updated",
        "Staff changed a partner organisation's profile.",
        ("partner", "fields"),
        (),
        ROUTED,
        "Partner organisation updated",
        "合作机构信息已更新",
    ),
    E(
        "partner.user_created",
        "A person was added to a partner organisation.",
        ("partner", "user"),
        ("partner_users",),
        ROUTED,
        "New user in your organisation",
        "您的机构新增了用户",
    ),
    E(
        "partner.api_key_created",
        "An API key was created for a partner (prefix and scopes only, never the key).",
        ("partner", "api_key", "prefix", "scopes"),
        ("partner_users",),
        ROUTED,
        "New API key {prefix}… created",
        "已创建新的 API 密钥 {prefix}…",
    ),
    E(
        "partner.api_key_revoked",
        "A partner's API key was revoked.",
        ("partner", "api_key", "prefix"),
        ("partner_users",),
        ROUTED,
        "API key {prefix}… revoked",
        "API 密钥 {prefix}… 已撤销",
    ),
    # --- webhooks ----------------------------------------------------------------------------
    E(
        "webhook.endpoint.disabled",
        "A partner's webhook endpoint was disabled (410 Gone or too many failures in a row).",
        ("endpoint_id", "url", "reason"),
        ("partner_users",),
        ROUTED,
        "Webhook endpoint disabled: {url}",
        "Webhook 端点已停用：{url}",
    ),
    E(
        "webhook.endpoint.archived",
        "A webhook endpoint was deleted (archived): it receives nothing more; its deliveries stay.",
        ("endpoint_id", "url", "archived_by"),
        ("partner_users",),
        ROUTED,
        "Webhook endpoint deleted: {url}",
        "Webhook 端点已删除：{url}",
    ),
    E(
        "webhook.ping",
        "A test message sent by the ping/ action to one endpoint (never stored as an event).",
        ("endpoint_id", "message"),
        (),
        ROUTED,
        "Webhook ping",
        "Webhook 测试",
    ),
)
del E

CATALOGUE: dict[str, EventKind] = {entry.kind: entry for entry in CATALOGUE_ENTRIES}
KINDS: tuple[str, ...] = tuple(CATALOGUE)


def get(kind: str) -> EventKind:
    """The catalogue entry of `kind`; ValueError for a kind the catalogue does not know."""
    try:
        return CATALOGUE[kind]
    except KeyError:
        raise ValueError(
            f"Unknown event kind {kind!r}: add it to agri_platform/events/catalogue.py "
            "and docs/events.md first."
        ) from None


# --- payload field types ---------------------------------------------------------------------------
# Each payload field has one JSON type wherever it appears (an id is always an integer, a money amount
# always a decimal string, a time always ISO 8601 text); NULLABLE fields may also be null.
STRING, INTEGER, NUMBER, BOOLEAN, ARRAY = "string", "integer", "number", "boolean", "array"
_ID_FIELDS = (
    "api_key",
    "application_id",
    "assigned_by_id",
    "assigned_firm_id",
    "buyer_id",
    "carrier_id",
    "certificate_id",
    "document_id",
    "endpoint_id",
    "enterprise_id",
    "excursion_id",
    "inquiry_id",
    "invitation_id",
    "message_id",
    "offer_id",
    "partner",
    "partner_id",
    "participant_id",
    "product_id",
    "production_base_id",
    "promotion_id",
    "quote_id",
    "request_id",
    "reviewer_id",
    "shipment_draft_id",
    "shipment_id",
    "user",
    "user_id",
)
FIELD_TYPES: dict[str, str] = {
    **dict.fromkeys(_ID_FIELDS, INTEGER),
    **dict.fromkeys(
        (
            "archived_by",
            "attachments",
            "days_left",
            "lead_time_days",
            "term_days",
            "threshold_days",
        ),
        INTEGER,
    ),
    **dict.fromkeys(("duration_minutes", "peak_c"), NUMBER),
    **dict.fromkeys(("ready", "registered_outside_sichuan"), BOOLEAN),
    **dict.fromkeys(
        ("band_c", "certificates", "countries", "fields", "partner_ids", "product_ids", "scopes"),
        ARRAY,
    ),
}
NULLABLE = frozenset(
    {
        "application_id",
        "archived_by",
        "assigned_firm_id",
        "deadline",
        "ended_at",
        "milestone",
        "occurred_at",
    }
)
_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    STRING: (str,),
    INTEGER: (int,),
    NUMBER: (int, float),
    BOOLEAN: (bool,),
    ARRAY: (list, tuple),
}


def field_type(name: str) -> str:
    """The JSON type of a payload field: listed in FIELD_TYPES, else a string."""
    return FIELD_TYPES.get(name, STRING)


def _has_type(value, name: str) -> bool:
    if value is None:
        return name in NULLABLE
    wanted = field_type(name)
    if isinstance(value, bool) and wanted != BOOLEAN:
        return False  # True is an int to Python, not to a receiver
    return isinstance(value, _PYTHON_TYPES[wanted])


def payload_problems(kind: str, payload) -> list[str]:
    """What is wrong with `payload` for `kind`: missing fields, fields the catalogue does not list,
    values of the wrong type. Empty when the payload matches its catalogue entry."""
    entry = get(kind)
    if not isinstance(payload, dict):
        return [f"the payload is a {type(payload).__name__}, not an object"]
    problems = [f"missing {name}" for name in entry.fields if name not in payload]
    problems += [f"{name} is not in the catalogue" for name in payload if name not in entry.fields]
    problems += [
        f"{name} should be {field_type(name)}{' or null' if name in NULLABLE else ''}"
        for name in entry.fields
        if name in payload and not _has_type(payload[name], name)
    ]
    return problems


def kind_matches(pattern: str, kind: str) -> bool:
    """A subscription pattern: an exact kind, a prefix ending in ``.*`` or ``*`` for every kind."""
    if pattern == "*":
        return True
    if pattern.endswith(".*"):
        return kind.startswith(pattern[:-1])
    return pattern == kind


def pattern_is_known(pattern: str) -> bool:
    return any(kind_matches(pattern, kind) for kind in KINDS)


def subscription_patterns() -> list[str]:
    """Every pattern `pattern_is_known` accepts: `*`, each kind, and `prefix.*` for each dotted
    prefix of a kind. The schema lists them, so a client (and schemathesis) can see the choices."""
    prefixes = {
        ".".join(parts[:length]) + ".*"
        for parts in (kind.split(".") for kind in KINDS)
        for length in range(1, len(parts))
    }
    return ["*", *sorted(prefixes), *sorted(KINDS)]


SUBSCRIPTION_PATTERNS: tuple[str, ...] = tuple(subscription_patterns())


class _Missing(dict):
    def __missing__(self, key):
        return "—"


def title_for(kind: str, payload: dict, language: str) -> str:
    """The inbox and e-mail title of an event in the recipient's language."""
    entry = CATALOGUE.get(kind)
    if entry is None:
        return kind
    template = entry.title_zh if language.startswith("zh") else entry.title_en
    try:
        return template.format_map(_Missing(payload or {}))
    except (ValueError, IndexError, AttributeError):
        return template
