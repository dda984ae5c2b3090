"""The enterprise's pages in the portal (docs/portal.md, journeys 2 and 3): register it, follow
its verification, keep its profile and members, describe its production bases and products.

Reads go through `selectors` (scoped to the person), writes through `services`, the same calls the
API makes."""

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from agri_platform.accounts.models import Membership
from agri_platform.api.documents import document_label, document_response
from agri_platform.api.errors import ApplicationError
from agri_platform.api.tenancy import ADMINISTRATOR_ROLES
from agri_platform.portal import enterprise as acting
from agri_platform.portal.views import EnterprisePage, PortalFormView, PortalPage, paginate
from agri_platform.reference.choices import ExportCategory
from agri_platform.reference.selectors import cold_chain_profile_for

from . import forms, selectors, services
from .choices import EnterpriseDocumentKind, VerificationStatus
from .models import EnterpriseDocument, Invitation, Product, ProductionBase
from .services.registration import IDENTITY_LOCKED_STATUSES

# --- the enterprise ------------------------------------------------------------------------------


def act(request, service, *, done: str, **arguments) -> bool:
    """A one-button action (resubmit, revoke, delete): the service's refusal becomes a message."""
    try:
        service(**arguments)
    except ApplicationError as error:
        messages.error(request, error.detail)
        return False
    except ProtectedError:
        messages.error(
            request, gettext("Other records still refer to it, so it cannot be deleted.")
        )
        return False
    messages.success(request, done)
    return True


def enterprise_crumbs(*more):
    return [(_("Enterprise"), reverse("portal:enterprise")), *more]


class EnterpriseRegisterPage(PortalFormView, PortalPage):
    """A person without an enterprise registers one and becomes its owner."""

    form_class = forms.EnterpriseRegisterForm
    template_name = "enterprises/portal/register.html"
    title = _("Register your enterprise")
    section = "enterprise"
    submit_label = _("Register the enterprise")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and acting.current_enterprise(request) is not None:
            return redirect("portal:enterprise")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        enterprise = form.call(
            services.enterprise_register, user=self.request.user, **form.cleaned_data
        )
        acting.choose_enterprise(self.request, enterprise.pk)
        messages.success(
            self.request,
            gettext(
                "Your enterprise is registered. Upload its business licence: the platform checks "
                "the registration against it within two working days."
            ),
        )
        return reverse("portal:enterprise-licence")


def enterprise_tasks(enterprise, *, has_members: bool, has_licence: bool) -> list[dict]:
    """What is left to do, GOV.UK task-list style: each task with its state and where to do it."""
    profile_done = bool(enterprise.contact_email and enterprise.address and enterprise.customs_code)
    return [
        {
            "label": _("Business licence"),
            "done": has_licence,
            "url": reverse("portal:enterprise-licence"),
            "done_label": pgettext("business licence", "Uploaded"),
            "todo_label": pgettext("business licence", "Missing"),
        },
        {
            "label": _("Complete the profile (address, contact, customs code)"),
            "done": profile_done,
            "url": reverse("portal:enterprise-edit"),
        },
        {
            "label": _("Be verified by the platform"),
            "done": enterprise.status == VerificationStatus.VERIFIED,
            "url": None,
        },
        {
            "label": _("Add a production base"),
            "done": enterprise.production_bases.exists(),
            "url": reverse("portal:base-new"),
        },
        {
            "label": _("Add a product"),
            "done": enterprise.products.exists(),
            "url": reverse("portal:product-new"),
        },
        {
            "label": _("Invite your colleagues"),
            "done": has_members,
            "url": reverse("portal:members"),
        },
    ]


class EnterpriseOverviewPage(EnterprisePage):
    """Status, the reviewer's reason, the facts and what is left to do; after a rejection the
    owner or an admin asks for review again here (POST)."""

    template_name = "enterprises/portal/overview.html"
    title = _("Your enterprise")
    section = "enterprise"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enterprise = selectors.enterprises_for(self.request.user).get(pk=self.enterprise.pk)
        members = selectors.memberships_for(self.request.user, enterprise.pk)
        licences = business_licences(enterprise)
        context.update(
            enterprise=enterprise,
            tasks=enterprise_tasks(
                enterprise, has_members=members.count() > 1, has_licence=licences.exists()
            ),
            licences=licences,
            licence_form=forms.LicenceForm(),
            may_resubmit="resubmit"
            in services.VERIFICATION_WORKFLOW.permitted(self.request.user, enterprise),
            may_edit=self.role in ADMINISTRATOR_ROLES,
            categories=[
                ExportCategory(value).label
                for value in enterprise.export_categories
                if value in ExportCategory.values
            ],
            breadcrumbs=[(_("Enterprise"), None)],
        )
        return context

    def post(self, request, *args, **kwargs):
        act(
            request,
            services.enterprise_resubmit,
            enterprise=self.enterprise,
            user=request.user,
            done=gettext("Sent for review again. We will let you know."),
        )
        return redirect("portal:enterprise")


def business_licences(enterprise):
    return selectors.documents_of(enterprise).filter(kind=EnterpriseDocumentKind.BUSINESS_LICENCE)


class EnterpriseLicencePage(PortalFormView, EnterprisePage):
    """The business licence: the ones uploaded, to download, and (owners, admins) an upload form.
    Registering leads here."""

    form_class = forms.LicenceForm
    template_name = "enterprises/portal/licence.html"
    title = _("Business licence")
    section = "enterprise"
    submit_label = _("Upload the licence")
    success_message = _("The business licence is uploaded.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            licences=business_licences(self.enterprise),
            may_upload=self.role in ADMINISTRATOR_ROLES,
            breadcrumbs=enterprise_crumbs((self.title, None)),
        )
        return context

    def perform(self, form):
        form.call(
            services.enterprise_document_add,
            actor=self.request.user,
            enterprise=self.enterprise,
            kind=EnterpriseDocumentKind.BUSINESS_LICENCE,
            upload=form.cleaned_data["file"],
        )
        return reverse("portal:enterprise")


class EnterpriseDocumentPage(EnterprisePage):
    """One of the enterprise's documents, as an attachment."""

    isolation_model = EnterpriseDocument

    def get(self, request, *args, **kwargs):
        documents = selectors.enterprise_documents_for(request.user).filter(
            enterprise=self.enterprise
        )
        document = get_object_or_404(documents, pk=kwargs["pk"])
        return document_response(document, name=document_label(document))


class EnterpriseEditPage(PortalFormView, EnterprisePage):
    """Owners and admins keep the profile; identity fields are read-only once verified."""

    form_class = forms.EnterpriseProfileForm
    template_name = "enterprises/portal/form.html"
    title = _("Edit the profile")
    section = "enterprise"
    submit_label = _("Save the profile")
    success_message = _("The profile is saved.")

    def get_initial(self):
        enterprise = self.enterprise
        initial = {name: getattr(enterprise, name) for name in self.form_class.base_fields}
        initial["prefecture"] = enterprise.prefecture_id
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.enterprise.status in IDENTITY_LOCKED_STATUSES:
            form.lock_identity()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = enterprise_crumbs((self.title, None))
        context["cancel_url"] = reverse("portal:enterprise")
        return context

    def perform(self, form):
        form.call(
            services.enterprise_update,
            enterprise=self.enterprise,
            user=self.request.user,
            **form.cleaned_data,
        )
        return reverse("portal:enterprise")


# --- members and invitations ---------------------------------------------------------------------


class MembersPage(PortalFormView, EnterprisePage):
    """The people of the enterprise, the open invitations, and (owners, admins) an invite form."""

    form_class = forms.InviteForm
    template_name = "enterprises/portal/members.html"
    title = _("Members")
    section = "enterprise"
    submit_label = _("Send the invitation")

    def administers(self) -> bool:
        return self.role in ADMINISTRATOR_ROLES

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invitations = selectors.invitations_for(self.request.user, self.enterprise.pk)
        context.update(
            members=selectors.memberships_for(self.request.user, self.enterprise.pk),
            invitations=[
                invitation for invitation in invitations if invitation.status == "pending"
            ],
            administers=self.administers(),
            breadcrumbs=enterprise_crumbs((self.title, None)),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not self.administers():
            raise Http404
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        invitation, _token = form.call(
            services.member_invite,
            enterprise=self.enterprise,
            inviter=self.request.user,
            **form.cleaned_data,
        )
        messages.success(
            self.request,
            gettext("We e-mailed an invitation to %(email)s. It is valid for 14 days.")
            % {"email": invitation.email},
        )
        return reverse("portal:members")


class MemberPage(PortalFormView, EnterprisePage):
    """One member: change the role, or remove them (or leave, for oneself)."""

    form_class = forms.RoleForm
    template_name = "enterprises/portal/member.html"
    section = "enterprise"
    submit_label = _("Change the role")
    isolation_model = Membership

    def dispatch(self, request, *args, **kwargs):
        self.membership = None
        return super().dispatch(request, *args, **kwargs)

    def get_membership(self):
        if self.membership is None:
            members = selectors.memberships_for(self.request.user, self.enterprise.pk)
            self.membership = get_object_or_404(members, pk=self.kwargs["pk"])
        return self.membership

    def get_initial(self):
        return {"role": self.get_membership().role}

    def get_context_data(self, **kwargs):
        membership = self.get_membership()
        kwargs.setdefault("title", membership.user.full_name or membership.user.email)
        context = super().get_context_data(**kwargs)
        context.update(
            membership=membership,
            administers=self.role in ADMINISTRATOR_ROLES,
            is_me=membership.user_id == self.request.user.pk,
            breadcrumbs=enterprise_crumbs(
                (_("Members"), reverse("portal:members")), (context["title"], None)
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        membership = self.get_membership()
        if "remove" in request.POST:
            return self.remove(membership)
        return super().post(request, *args, **kwargs)

    def remove(self, membership):
        leaving = membership.user_id == self.request.user.pk
        removed = act(
            self.request,
            services.member_remove,
            membership=membership,
            actor=self.request.user,
            done=gettext("You left the enterprise.")
            if leaving
            else gettext("%(email)s is no longer a member.") % {"email": membership.user.email},
        )
        if not removed:
            return redirect(self.request.path)
        return redirect("portal:home" if leaving else "portal:members")

    def perform(self, form):
        membership = form.call(
            services.member_change_role,
            membership=self.get_membership(),
            actor=self.request.user,
            role=form.cleaned_data["role"],
        )
        messages.success(
            self.request,
            gettext("%(email)s is now %(role)s.")
            % {"email": membership.user.email, "role": membership.get_role_display()},
        )
        return reverse("portal:members")


class InvitationRevokePage(EnterprisePage):
    """Revoke an open invitation: the page says what will happen, the button does it."""

    template_name = "enterprises/portal/invitation_revoke.html"
    title = _("Revoke the invitation")
    section = "enterprise"
    isolation_model = Invitation

    def get_invitation(self):
        invitations = selectors.invitations_for(self.request.user, self.enterprise.pk)
        return get_object_or_404(invitations, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitation"] = self.get_invitation()
        context["breadcrumbs"] = enterprise_crumbs(
            (_("Members"), reverse("portal:members")), (self.title, None)
        )
        return context

    def post(self, request, *args, **kwargs):
        invitation = self.get_invitation()
        act(
            request,
            services.invitation_revoke,
            invitation=invitation,
            actor=request.user,
            done=gettext("The invitation to %(email)s is revoked.") % {"email": invitation.email},
        )
        return redirect("portal:members")


class InvitationAcceptPage(PortalFormView, PortalPage):
    """Where the invitation e-mail's link lands (after sign-in or sign-up): join with one button."""

    form_class = forms.InvitationAcceptForm
    template_name = "enterprises/portal/invitation_accept.html"
    title = _("Join your colleagues")
    section = "enterprise"
    submit_label = _("Join the enterprise")

    def get_initial(self):
        return {"token": self.request.GET.get("token", "")}

    def perform(self, form):
        membership = form.call(
            services.member_accept, token=form.cleaned_data["token"], user=self.request.user
        )
        acting.choose_enterprise(self.request, membership.enterprise_id)
        messages.success(
            self.request,
            gettext("Welcome: you are now %(role)s of this enterprise.")
            % {"role": membership.get_role_display()},
        )
        return reverse("portal:enterprise")


# --- production bases ----------------------------------------------------------------------------


def products_crumbs(*more):
    return [(_("Bases and products"), reverse("portal:products")), *more]


class BasesPage(EnterprisePage):
    template_name = "enterprises/portal/bases.html"
    title = _("Production bases")
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bases = selectors.production_bases_for(self.request.user).filter(enterprise=self.enterprise)
        context["page_obj"] = paginate(self.request, bases.order_by("name", "pk"))
        context["breadcrumbs"] = products_crumbs((self.title, None))
        return context


class BaseFormPage(PortalFormView, EnterprisePage):
    form_class = forms.ProductionBaseForm
    template_name = "enterprises/portal/form.html"
    section = "products"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["products"] = selectors.products_for(self.request.user).filter(
            enterprise=self.enterprise
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumbs"] = products_crumbs(
            (_("Production bases"), reverse("portal:bases")), (context["title"], None)
        )
        context["cancel_url"] = reverse("portal:bases")
        return context


class BaseNewPage(BaseFormPage):
    title = _("Add a production base")
    submit_label = _("Add the base")
    success_message = _("The production base is added.")

    def get_initial(self):
        return {"prefecture": self.enterprise.prefecture_id, "county": self.enterprise.county}

    def perform(self, form):
        form.call(
            services.production_base_create,
            enterprise=self.enterprise,
            user=self.request.user,
            **form.values(),
        )
        return reverse("portal:bases")


class BasePage(BaseFormPage):
    """One base: its details to change, and a button to delete it."""

    template_name = "enterprises/portal/base.html"
    submit_label = _("Save the base")
    success_message = _("The production base is saved.")
    isolation_model = ProductionBase

    def dispatch(self, request, *args, **kwargs):
        self.base = None
        return super().dispatch(request, *args, **kwargs)

    def get_base(self):
        if self.base is None:
            bases = selectors.production_bases_for(self.request.user).filter(
                enterprise=self.enterprise
            )
            self.base = get_object_or_404(bases, pk=self.kwargs["pk"])
        return self.base

    def get_initial(self):
        base = self.get_base()
        return {
            "name": base.name,
            "kind": base.kind,
            "prefecture": base.prefecture_id,
            "county": base.county,
            "area": base.area_mu,
            "area_unit": forms.AreaUnit.MU,
            "annual_capacity_t": base.annual_capacity_t,
            "latitude": base.latitude,
            "longitude": base.longitude,
            "products": list(base.products.all()),
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_base().name)
        context = super().get_context_data(**kwargs)
        context["base"] = self.get_base()
        return context

    def post(self, request, *args, **kwargs):
        base = self.get_base()
        if "delete" in request.POST:
            deleted = act(
                request,
                services.production_base_delete,
                base=base,
                user=request.user,
                done=gettext("The production base is deleted."),
            )
            return redirect("portal:bases" if deleted else request.path)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        form.call(
            services.production_base_update,
            base=self.get_base(),
            user=self.request.user,
            **form.values(),
        )
        return reverse("portal:bases")


# --- products ------------------------------------------------------------------------------------


class ProductsPage(EnterprisePage):
    template_name = "enterprises/portal/products.html"
    title = _("Bases and products")
    section = "products"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        products = selectors.products_for(self.request.user).filter(enterprise=self.enterprise)
        context["page_obj"] = paginate(self.request, products.order_by("name_zh", "pk"))
        context["base_count"] = self.enterprise.production_bases.count()
        context["breadcrumbs"] = [(self.title, None)]
        return context


class ProductFormPage(PortalFormView, EnterprisePage):
    form_class = forms.ProductForm
    template_name = "enterprises/portal/product_form.html"
    section = "products"
    editing = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["bases"] = selectors.production_bases_for(self.request.user).filter(
            enterprise=self.enterprise
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        code = form["hs_code"].value() or ""
        context.update(
            breadcrumbs=products_crumbs((context["title"], None)),
            cancel_url=reverse("portal:products"),
            profile=cold_chain_profile_for(code) if code else None,
            hs_code=code,
            editing=self.editing,
        )
        return context


class ProductNewPage(ProductFormPage):
    title = _("Add a product")
    submit_label = _("Add the product")
    success_message = _("The product is added.")

    def perform(self, form):
        form.call(
            services.product_create,
            enterprise=self.enterprise,
            user=self.request.user,
            **form.values(editing=False),
        )
        return reverse("portal:products")


class ProductPage(ProductFormPage):
    """One product: its details to change, and a button to delete it."""

    submit_label = _("Save the product")
    success_message = _("The product is saved.")
    isolation_model = Product
    editing = True

    def dispatch(self, request, *args, **kwargs):
        self.product = None
        return super().dispatch(request, *args, **kwargs)

    def get_product(self):
        if self.product is None:
            products = selectors.products_for(self.request.user).filter(enterprise=self.enterprise)
            self.product = get_object_or_404(products, pk=self.kwargs["pk"])
        return self.product

    def get_initial(self):
        product = self.get_product()
        initial = {name: getattr(product, name) for name in self.form_class.base_fields}
        initial["hs_code"] = product.hs_code_id
        initial["production_bases"] = list(product.production_bases.all())
        return initial

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_product().name_zh)
        context = super().get_context_data(**kwargs)
        context["product"] = self.get_product()
        return context

    def post(self, request, *args, **kwargs):
        product = self.get_product()
        if "delete" in request.POST:
            deleted = act(
                request,
                services.product_delete,
                product=product,
                user=request.user,
                done=gettext("The product is deleted."),
            )
            return redirect("portal:products" if deleted else request.path)
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        form.call(
            services.product_update,
            product=self.get_product(),
            user=self.request.user,
            **form.values(editing=True),
        )
        return reverse("portal:products")


class HSCodeOptionsPage(EnterprisePage):
    """htmx, as a person types an HS code: the matching codes as the input's suggestions and the
    cold-chain band the code's profile proposes."""

    template_name = "enterprises/portal/hs_code_hint.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("hs_code", "").strip()[:40]
        context["hs_codes"] = selectors.hs_code_search(query)
        context["profile"] = cold_chain_profile_for(query) if query else None
        context["hs_code"] = query
        return context
