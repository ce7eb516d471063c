"""The built-in language rules on realistic health-journalism sentences, in every language shipped.

Two tables per language: sentences the lint must leave alone (negated, qualified, reported or
criticised, quoted, inside a URL…) and sentences it must flag as a warning, with the rule that
should fire. `python tests/test_language_rules.py` prints precision and recall per language
(the numbers in docs/language-rules.md).
"""

from __future__ import annotations

import pytest

from briefgen.guard.lint import Rule, lint, load_rules

MUST_NOT_FLAG: dict[str, list[str]] = {
    "en": [
        # The patterns of issue 10.
        "The powders are neither safe nor effective, the review concluded.",
        "There is no evidence it's safe for children.",
        "There is no safe way to tan, dermatologists say.",
        "Castor oil is not a miracle cure for hair loss.",
        "The supplement has no proven benefits for the heart.",
        "Dietitians say it is safe for most people when fiber is added gradually.",
        "It is a cosmetic oil sold as a cure-all.",
        "The tea is marketed as a detox that will flush out toxins.",
        "The serum was billed as a miracle cure for wrinkles.",
        "The powder is touted as risk-free.",
        "The so-called miracle berry has been around for decades.",
        "The brand claims that its patches are 100% safe.",
        "Read https://example.com/are-they-100-percent-safe-to-use.html for details.",
        "More at example.org/miracle-cure-guide/no-side-effects.html.",
        "Write to miracle.cure@example.org with questions.",
        "The tag #miraclecure has 2 million views.",
        "Posts by @curealldaily were removed.",
        "Dermatologists recommend proven, affordable moisturizers.",
        # Quotation marks of every script.
        "One creator said “I'm obsessed” and posted daily.",
        'Fans call it "a miracle cure" in comments.',
        "One post called it ‘the holy grail’ of skin care.",
        "A reader wrote 'it's 100% safe' under the video.",
        "The label read «sans effets secondaires» in French.",
        "„Ein Wundermittel“ stand auf der Packung.",
        "The ad said ‚garantiert‘ twice.",
        "The Japanese ad said 「miracle cure」 in English.",
        "The poster said 『no side effects』 in bold.",
        "A comment said ‹risk-free› next to the price.",
        # Our own, from health reporting.
        "No drug is completely safe, and this one is no exception.",
        "Few treatments are risk-free, and cold plunges are not among them.",
        "Is it really a miracle cure?",
        "Researchers say the drug could be a game changer for some patients.",
        "The idea that a tea can detox your body is a myth.",
        "Your liver and kidneys already remove toxins; no tea is needed to flush out toxins.",
        "No side effects were reported in the 12-week trial.",
        "When used as directed, the drops are completely safe for most adults.",
        "If you stick to one cup a day, the tea is completely safe.",
        "The study found no serious side effects.",
        "The cream is not clinically proven to reverse aging.",
        "Influencers promise guaranteed results within a week.",
        "There is no silver bullet for weight loss.",
        "The manufacturer says the device is completely safe.",
        "The drops are generally considered safe at low doses.",
        "It is not 100% safe for people with kidney disease.",
        "Doctors warned that no supplement is without side effects.",
        "The patches have not been proven to work in children.",
        "Nobody has shown that the serum reverses aging.",
        "Whether the diet is completely safe for pregnant women is unclear.",
        "Sunscreen is far from a cure-all, but it does reduce burns.",
        "It lacks any evidence that it cures cancer.",
        "A completely safe dose has not been established.",
        "Ingredient lists show no risk factors for allergy sufferers.",
        "Claims that the pill is a wonder drug are unfounded.",
        "Safe, effective and affordable: what to look for in a sunscreen.",
        "Proven treatments for eczema include moisturisers and steroid creams.",
    ],
    "de": [
        "Ein Wundermittel gegen Falten gibt es nicht.",
        "Das Öl ist kein Wundermittel, sagen Hautärzte.",
        "Das Präparat ist nicht ohne Nebenwirkungen.",
        "Das Öl wird in sozialen Medien als Wundermittel beworben.",
        "Das angebliche Wundermittel enthält vor allem Zucker.",
        "Die sogenannte Entschlackungskur ist wissenschaftlich nicht haltbar.",
        "Hersteller behaupten, dass es 100 % sicher sei.",
        "Für die meisten Menschen ist der Tee in kleinen Mengen unbedenklich.",
        "Eine garantierte Wirkung gibt es bei Nahrungsergänzungsmitteln nicht.",
        "Die Versorgung ist gesetzlich garantiert.",
        "Ich bin mir absolut sicher, dass die Studie stimmt.",
        "Kein Medikament ist völlig ohne Risiko.",
        "Ist das wirklich ein Wundermittel?",
        "Das Mittel ist weder wirksam noch völlig unbedenklich.",
        "In der Studie traten keine Nebenwirkungen auf.",
        "Die Leber entgiftet den Körper ohnehin.",
        "Entschlacken ist ein Mythos.",
        "Influencer preisen das Pulver als Allheilmittel an.",
        "Mehr unter https://example.de/wundermittel-ohne-nebenwirkungen.html.",
        "Der Hashtag #Wundermittel ist beliebt.",
        "Auf der Packung steht „100 % sicher“.",
        "Eine Nutzerin schrieb »Ich bin besessen« darunter.",
        "Dass die Creme klinisch bewiesen wirkt, ist nicht belegt.",
        "Das Serum ist nicht klinisch bewiesen wirksam.",
        "Ärztinnen empfehlen bewährte, günstige Cremes.",
        "Laut Hersteller ist das Gerät völlig sicher.",
        "Sicher ist nur: Die Datenlage ist dünn.",
        "Schwere Nebenwirkungen wurden in der Studie nicht beobachtet.",
        "Das Gel gilt als weitgehend sicher, wenn man es richtig dosiert.",
        "Es könnte für manche Patienten ein Gamechanger sein, hoffen Forscher.",
        "Ingwer hilft, ohne ein Wundermittel zu sein.",
        "Kurkuma war nie ein Allheilmittel.",
        "Der Saft wird online als Wundermittel gegen Müdigkeit vermarktet.",
        "Wenn man es richtig dosiert, ist das Mittel völlig unbedenklich.",
        "Ein Leser schrieb ‚ohne Nebenwirkungen‘ in den Kommentar.",
    ],
    "fr": [
        "Ce n'est pas un remède miracle contre la chute des cheveux.",
        "L'huile est vendue comme un remède miracle sur les réseaux.",
        "Ce complément n'est pas sans effets secondaires.",
        "Le soi-disant remède miracle contient surtout du sucre.",
        "Le sérum est présenté comme cliniquement prouvé.",
        "Aucun médicament n'est 100 % sûr.",
        "Il est sans danger pour la plupart des adultes, selon les pédiatres.",
        "Le produit est totalement sans danger à faibles doses.",
        "Est-ce vraiment un remède miracle ?",
        "Le prétendu élixir de jeunesse n'a jamais été testé.",
        "Les influenceuses promettent des résultats garantis.",
        "Le foie élimine les toxines sans aide.",
        "L'idée qu'une tisane détoxifie l'organisme est un mythe.",
        "Aucun effet secondaire grave n'a été observé dans l'essai.",
        "Les rédactions recommandent des crèmes éprouvées et abordables.",
        "Plus d'infos sur https://exemple.fr/remede-miracle-sans-effets-secondaires.",
        "Le mot-dièse #remedemiracle circule beaucoup.",
        "Une internaute a écrit « je suis obsédée » sous la vidéo.",
        "L'étiquette promettait « 100 % sûr ».",
        "Je suis absolument sûr que l'étude est solide.",
        "Ni remède miracle ni poison, le curcuma reste une épice.",
        "Le droit aux soins est garanti par la loi.",
        "Ce n'est en rien une panacée.",
        "L'effet n'est pas garanti, préviennent les médecins.",
        "La crème n'a pas été prouvée efficace contre les rides.",
        "Selon le fabricant, l'appareil est totalement sûr.",
        "Les pédiatres jugent le sirop généralement sans danger.",
        "Le gingembre aide, sans être un remède miracle.",
        "Le curcuma n'a jamais été une panacée.",
        "Il est totalement sans danger si la dose est respectée.",
        "Ce n'est pas un produit sans effets secondaires.",
    ],
    "es": [
        "No es una cura milagrosa para la caída del cabello.",
        "El aceite se vende como una cura milagrosa en redes sociales.",
        "El suplemento no está libre de riesgos ni sin efectos secundarios.",
        "La supuesta cura milagrosa contiene sobre todo azúcar.",
        "El producto, presentado como clínicamente probado, no tiene estudios publicados.",
        "Ningún fármaco es 100 % seguro.",
        "Es seguro para la mayoría de los adultos, según los pediatras.",
        "Es totalmente seguro a dosis bajas.",
        "¿Es realmente una cura milagrosa?",
        "El llamado elixir de la juventud nunca se ha probado.",
        "Los influencers prometen resultados garantizados.",
        "El hígado ya elimina las toxinas sin ayuda.",
        "La idea de que un té desintoxica el cuerpo es un mito.",
        "No se observaron efectos secundarios graves en el ensayo.",
        "Los dermatólogos recomiendan cremas probadas y asequibles.",
        "Más información en https://ejemplo.es/cura-milagrosa-sin-efectos-secundarios.",
        "La etiqueta #curamilagrosa es tendencia.",
        "Una usuaria escribió «estoy obsesionada» bajo el vídeo.",
        "El envase decía «100 % seguro».",
        "Estoy completamente seguro de que el estudio es sólido.",
        "Ni cura milagrosa ni veneno: la cúrcuma es una especia.",
        "El acceso a la sanidad está garantizado por ley.",
        "No es en absoluto una panacea.",
        "El efecto no está garantizado, advierten los médicos.",
        "Según el fabricante, el aparato es totalmente seguro.",
        "Los pediatras consideran el jarabe generalmente seguro.",
        "No hay pruebas de que sea completamente seguro para embarazadas.",
        "El jengibre ayuda, sin ser una cura milagrosa.",
        "La cúrcuma nunca ha sido una panacea.",
        "Es totalmente seguro si se respeta la dosis.",
        "El té, vendido como remedio milagroso, solo contiene hierbas.",
        "Ninguna crema es totalmente segura para la piel atópica.",
    ],
    "it": [
        "Non è una cura miracolosa per la caduta dei capelli.",
        "L'olio di ricino viene venduto come rimedio miracoloso sui social.",
        "L'integratore non è privo di rischi né senza effetti collaterali.",
        "La presunta cura miracolosa contiene soprattutto zucchero.",
        "Il siero, presentato come clinicamente provato, non ha studi pubblicati.",
        "Nessun farmaco è sicuro al 100%.",
        "È completamente sicuro per la maggior parte degli adulti, secondo i pediatri.",
        "Lo sciroppo è del tutto innocuo a basse dosi.",
        "È davvero una cura miracolosa?",
        "Il cosiddetto elisir di giovinezza non è mai stato studiato.",
        "Gli influencer promettono risultati garantiti in pochi giorni.",
        "Il fegato elimina le tossine senza bisogno di aiuto.",
        "Il mito della tisana che disintossica l'organismo resiste sui social.",
        "Nello studio non è stato segnalato nessun effetto collaterale grave.",
        "Nessun effetto collaterale grave è stato osservato nelle prime dodici settimane.",
        "I dermatologi consigliano creme collaudate ed economiche.",
        "Maggiori informazioni su https://esempio.it/cura-miracolosa-senza-effetti-collaterali.",
        "L'hashtag #curamiracolosa è di tendenza su TikTok.",
        "Scrivete a cura.miracolosa@esempio.it per le segnalazioni.",
        "I post di @rimediomiracoloso sono stati rimossi.",
        "Un'utente ha scritto «sono ossessionata» sotto il video.",
        "Sulla confezione c'era scritto “sicuro al 100%”.",
        'Un lettore ha scritto "senza effetti collaterali" nei commenti.',
        "Una paziente ha scritto 'mi ha cambiato la vita' sul forum.",
        "Sono assolutamente sicuro che lo studio è solido.",
        "Ne sono sicura al 100%: i dati sono stati verificati.",
        "I ricercatori sono del tutto sicuri di aver escluso il placebo.",
        "Né cura miracolosa né veleno: la curcuma resta una spezia.",
        "Il diritto alla salute è garantito dalla Costituzione.",
        "L'accesso alle cure palliative è garantito in tutte le regioni.",
        "Non è affatto una panacea.",
        "L'effetto non è garantito, avvertono i medici.",
        "Secondo il produttore, il dispositivo è del tutto sicuro.",
        "I pediatri considerano lo sciroppo del tutto innocuo.",
        "Non ci sono prove che sia completamente sicuro in gravidanza.",
        "Lo zenzero aiuta, senza essere una cura miracolosa.",
        "La curcuma non è mai stata una panacea.",
        "È completamente sicuro se si rispetta la dose.",
        "Il tè, spacciato per rimedio miracoloso, contiene solo erbe.",
        "Nessuna crema è del tutto innocua per la pelle atopica.",
        "Una cura miracolosa per l'Alzheimer non esiste.",
        "I fan giurano che sia un toccasana.",
        "Le tisane vengono pubblicizzate come disintossicanti.",
        "Il farmaco potrebbe essere un game changer per alcuni pazienti, sperano i ricercatori.",
        # Come in en ed es: «testato» non è «provato».
        "La crema è dermatologicamente testata, come quasi tutte quelle in farmacia.",
        "La guarigione miracolosa del bambino ha commosso il paese.",
        "Non fa male chiedere un parere al medico prima di cominciare.",
        "Secondo Burioni il latte crudo non è più sano di quello pastorizzato.",
        "Il pasto è garantito agli studenti con celiachia.",
        "La vaccinazione è gratuita e garantita a tutti gli over 60.",
        "Il trasporto in ambulanza è garantito dal Comune.",
        "Il Sert disintossica ogni anno migliaia di persone.",
        "Il nastro sulla bocca è diventato il Santo Graal del sonno su TikTok.",
    ],
    "pt": [
        "Não é uma cura milagrosa para a queda de cabelo.",
        "O óleo é vendido como remédio milagroso nas redes sociais.",
        "O suplemento não está livre de riscos nem sem efeitos colaterais.",
        "A suposta cura milagrosa contém sobretudo açúcar.",
        "O sérum, apresentado como clinicamente comprovado, não tem estudos publicados.",
        "Nenhum medicamento é 100% seguro.",
        "É totalmente seguro para a maioria dos adultos, segundo os pediatras.",
        "É totalmente seguro em doses baixas.",
        "É mesmo uma cura milagrosa?",
        "O chamado elixir da juventude nunca foi testado.",
        "Influenciadoras prometem resultados garantidos em poucos dias.",
        "O fígado já elimina as toxinas sem ajuda.",
        "A ideia de que um chá desintoxica o organismo é um mito.",
        "Nenhum efeito colateral grave foi relatado no estudo.",
        "Nutricionistas recomendam alimentos variados e acessíveis.",
        "Mais informações em https://exemplo.com.br/cura-milagrosa-sem-efeitos-colaterais.",
        "A hashtag #curamilagrosa viralizou no TikTok.",
        "Escreva para cura.milagrosa@exemplo.com.br com dúvidas.",
        "Posts de @curamilagrosa foram removidos da plataforma.",
        "Uma utilizadora escreveu «estou obcecada» no vídeo.",
        "Uma seguidora comentou “sou viciada” no post.",
        'A embalagem dizia "100% seguro" em letras grandes.',
        "Uma usuária disse que a dieta 'mudou minha vida' em dez dias.",
        "Estou completamente seguro de que o estudo é sólido.",
        "Nem cura milagrosa nem veneno: a cúrcuma é um tempero.",
        "O acesso à saúde é garantido pela Constituição.",
        "O SUS oferece o teste gratuitamente e o sigilo é garantido.",
        "Não existe milagre para emagrecer.",
        "O efeito não é garantido, alertam os médicos.",
        "Segundo o fabricante, o aparelho é totalmente seguro.",
        "Não há evidência de que seja completamente seguro para grávidas.",
        "O gengibre ajuda, sem ser uma cura milagrosa.",
        "A cúrcuma nunca foi uma panaceia.",
        "É totalmente seguro se for usado na dose certa.",
        "Se usado corretamente, o gel é totalmente seguro.",
        "O chá, vendido como milagroso, só contém ervas.",
        "Nenhum creme é totalmente seguro para a pele atópica.",
        "O plano de seguro de saúde cobre 100% das consultas.",
        "A proposta cria um seguro para todos os trabalhadores rurais.",
        # Como em en e es: «testado» não é «comprovado».
        "O creme é dermatologicamente testado, como quase todos os da farmácia.",
        "Uma recuperação milagrosa emocionou a equipe médica.",
        "Tratamentos sem eficácia comprovada foram receitados na pandemia.",
        "A clínica desintoxica dependentes químicos há vinte anos.",
        "Os pesquisadores esperam que o remédio seja um divisor de águas.",
        "Dietas restritivas nunca serão saudáveis, alerta a nutricionista.",
        "O suco detox virou moda no TikTok.",
        "Não faz mal perguntar ao médico antes de começar.",
        "Dizem que é 100% seguro, mas faltam estudos.",
        "O ovo não é um alimento milagroso, lembra a nutricionista.",
        "A merenda é garantida para os alunos celíacos.",
        "A vacinação é gratuita e garantida a todos os idosos.",
        "O CAPS desintoxica milhares de pessoas por ano.",
        "A fita na boca se tornou o santo graal do sono no TikTok.",
        "Eu me sinto totalmente segura com o meu médico.",
        "O seguro-saúde para todos os servidores foi aprovado.",
    ],
}

MUST_FLAG: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("This oil is a miracle cure.", "hype"),
        ("The patches are 100% safe.", "absolute-safety"),
        ("A serum clinically proven to reverse aging.", "proven-claim"),
        ("A serum clinically proven to reverse aging.", "cure-claim"),
        ("The cream has no side effects.", "no-side-effects"),
        ("Guaranteed results in two weeks.", "guarantee"),
        ("I'm obsessed with this morning routine.", "fan-hype"),
        ("Plunges are completely safe and a miracle for focus.", "absolute-safety"),
        ("Plunges are completely safe and a miracle for focus.", "hype"),
        ("This tea will detox your body overnight.", "detox"),
        ("It's a total game changer for gut health.", "fan-hype"),
        ("Retinol is the holy grail of skin care.", "fan-hype"),
        ("Risk-free and all natural, the drops suit everyone.", "absolute-safety"),
        ("Apple cider vinegar is the cure-all your gut needs.", "hype"),
        ("No wonder the serum is the holy grail of skin care.", "fan-hype"),
        ("It is not cheap, but it is 100% safe.", "absolute-safety"),
        ("The pill is a wonder drug for joint pain.", "hype"),
        ("The gummies are proven to melt fat.", "proven-claim"),
        ("Collagen reverses aging from the inside.", "cure-claim"),
        ("This is not only cheap, it is also risk-free.", "absolute-safety"),
    ],
    "de": [
        ("Das Öl ist ein echtes Wundermittel.", "hype"),
        ("Der Tee ist 100 % sicher.", "absolute-safety"),
        ("Die Creme ist klinisch bewiesen und kehrt die Alterung um.", "proven-claim"),
        ("Die Creme ist klinisch bewiesen und kehrt die Alterung um.", "cure-claim"),
        ("Das Pulver wirkt ganz ohne Nebenwirkungen.", "no-side-effects"),
        ("Mit diesem Tee nehmen Sie garantiert ab.", "guarantee"),
        ("Ich bin besessen von diesem Serum.", "fan-hype"),
        ("Kurkuma ist ein Allheilmittel für den Darm.", "hype"),
        ("Die Kur entschlackt den Körper in drei Tagen.", "detox"),
        ("Das Gerät ist völlig unbedenklich und risikofrei.", "absolute-safety"),
        ("Dieses Anti-Aging-Wundermittel verjüngt die Haut.", "hype"),
        ("Das Serum ist ein echter Gamechanger für trockene Haut.", "fan-hype"),
        ("Die Tropfen haben keine Nebenwirkungen.", "no-side-effects"),
        ("Nicht nur günstig: Das Öl ist ein Wundermittel.", "hype"),
    ],
    "fr": [
        ("Cette huile est un remède miracle.", "hype"),
        ("Ce complément est 100 % sûr.", "absolute-safety"),
        ("Un sérum cliniquement prouvé qui inverse le vieillissement.", "proven-claim"),
        ("Un sérum cliniquement prouvé qui inverse le vieillissement.", "cure-claim"),
        ("Une cure sans effets secondaires.", "no-side-effects"),
        ("Résultats garantis en deux semaines.", "guarantee"),
        ("Je suis obsédée par cette routine.", "fan-hype"),
        ("Ce produit n'a aucun effet secondaire.", "no-side-effects"),
        ("Le vinaigre de cidre est une panacée pour l'intestin.", "hype"),
        ("Cette tisane détoxifie l'organisme en trois jours.", "detox"),
        ("Le patch est totalement sans danger et sans aucun risque.", "absolute-safety"),
        ("Ce sérum est le Saint Graal des peaux sèches.", "fan-hype"),
        ("Non seulement bon marché, c'est un produit miracle.", "hype"),
    ],
    "es": [
        ("Este aceite es una cura milagrosa.", "hype"),
        ("El suplemento es 100 % seguro.", "absolute-safety"),
        ("Un sérum clínicamente probado que revierte el envejecimiento.", "proven-claim"),
        ("Un sérum clínicamente probado que revierte el envejecimiento.", "cure-claim"),
        ("Una crema sin efectos secundarios.", "no-side-effects"),
        ("Resultados garantizados en dos semanas.", "guarantee"),
        ("Estoy obsesionada con esta rutina.", "fan-hype"),
        ("Este producto no tiene ningún efecto secundario.", "no-side-effects"),
        ("El vinagre de manzana es una panacea para el intestino.", "hype"),
        ("Esta infusión desintoxica el cuerpo en tres días.", "detox"),
        ("El parche es totalmente seguro y sin ningún riesgo.", "absolute-safety"),
        ("Este sérum es el santo grial de la piel seca.", "fan-hype"),
        ("No solo es barato: es un remedio milagroso.", "hype"),
    ],
    "it": [
        ("Questo olio è una cura miracolosa.", "hype"),
        ("L'integratore è sicuro al 100%.", "absolute-safety"),
        ("Un siero clinicamente provato che inverte l'invecchiamento.", "proven-claim"),
        ("Un siero clinicamente provato che inverte l'invecchiamento.", "cure-claim"),
        ("Una crema senza effetti collaterali.", "no-side-effects"),
        ("Risultati garantiti in due settimane.", "guarantee"),
        ("Sono ossessionata da questa routine.", "fan-hype"),
        ("Questo prodotto non ha nessun effetto collaterale.", "no-side-effects"),
        ("L'aceto di mele è un toccasana per l'intestino.", "hype"),
        ("Questa tisana disintossica l'organismo in tre giorni.", "detox"),
        ("Il cerotto è del tutto innocuo e senza alcun rischio.", "absolute-safety"),
        ("Questo siero è il Santo Graal della pelle secca.", "fan-hype"),
        ("Non solo è economico: è un rimedio miracoloso.", "hype"),
        ("I cerotti sono sicuri al 100% per i bambini.", "absolute-safety"),
        ("Il centrifugato elimina le tossine e depura il fegato.", "detox"),
        ("Con questo tè dimagrisci, garantito.", "guarantee"),
        ("È un integratore scientificamente dimostrato.", "proven-claim"),
        (
            "Senza zucchero e senza effetti collaterali, la bevanda piace ai bambini.",
            "no-side-effects",
        ),
        ("Mai più senza questo siero.", "fan-hype"),
        ("La dieta miracolo fa perdere cinque chili in una settimana.", "hype"),
        ("La tisana non ha controindicazioni.", "no-side-effects"),
        ("La crema ringiovanisce la pelle in una notte.", "cure-claim"),
        ("Pelle liscia garantita in una settimana, per tutti i tipi di pelle.", "guarantee"),
    ],
    "pt": [
        ("Este óleo é uma cura milagrosa.", "hype"),
        ("O suplemento é 100% seguro.", "absolute-safety"),
        ("Um sérum comprovado cientificamente que reverte o envelhecimento.", "proven-claim"),
        ("Um sérum comprovado cientificamente que reverte o envelhecimento.", "cure-claim"),
        ("Um creme sem efeitos colaterais.", "no-side-effects"),
        ("Resultados garantidos em duas semanas.", "guarantee"),
        ("Estou obcecada por essa rotina.", "fan-hype"),
        ("Este produto não tem nenhum efeito colateral.", "no-side-effects"),
        ("O vinagre de maçã é uma panaceia para o intestino.", "hype"),
        ("Este chá desintoxica o organismo em três dias.", "detox"),
        ("O adesivo é totalmente seguro e sem nenhum risco.", "absolute-safety"),
        ("Esse sérum é o santo graal da pele seca.", "fan-hype"),
        ("Não só é barato: é um remédio milagroso.", "hype"),
        ("O chá verde é um tratamento sem efeitos secundários.", "no-side-effects"),
        ("Sou viciada nesse protetor solar.", "fan-hype"),
        ("Esse chá seca a barriga e elimina toxinas.", "cure-claim"),
        ("Esse chá seca a barriga e elimina toxinas.", "detox"),
        ("O colágeno é seguro para todos.", "absolute-safety"),
        ("Emagrecimento garantido sem dieta.", "guarantee"),
        ("Sem açúcar e sem efeitos colaterais, o suco agrada às crianças.", "no-side-effects"),
        ("Esse sérum mudou minha vida.", "fan-hype"),
        ("A cápsula é clinicamente comprovada.", "proven-claim"),
        ("O gengibre é um santo remédio para a garganta.", "hype"),
        ("Barriga chapada garantida em um mês, para todos os tipos de corpo.", "guarantee"),
    ],
}

#: Held out: written after the rules were tuned on the tables above and never tuned on. Their
#: scores are printed (docs/language-rules.md reports them), not asserted: they measure how the
#: rules generalise, misses included.
HELD_OUT_NOT: dict[str, list[str]] = {
    "en": [
        "Experts caution that collagen drinks are not a cure-all for joint pain.",
        "No reputable study shows that the patches are risk-free.",
        "The company advertises its gummies as clinically proven.",
        "Mouth taping is unlikely to be completely safe for people with sleep apnea.",
        "Creatine is considered safe for healthy adults at recommended doses.",
        "Some users describe the serum as a holy grail, a claim dermatologists dispute.",
        "Nothing about the trend is guaranteed to work.",
        "Is castor oil really a miracle cure for dry eyes?",
        "Magnesium sprays are promoted online as a miracle fix for sleep.",
        "The label's promise of no side effects is misleading, regulators said.",
        "Pediatricians stress that no sunscreen is 100% safe for babies under six months.",
        "In the small trial, no side effects were seen after four weeks.",
    ],
    "de": [
        "Ein Allheilmittel ist Ingwer nicht, betonen Ernährungsfachleute.",
        "Das Pflaster wird online als risikofrei angepriesen.",
        "Keine Studie belegt, dass der Saft den Körper entgiftet.",
        "Das Präparat gilt bei gesunden Erwachsenen als weitgehend unbedenklich.",
        "Fachleute warnen: Kein Mittel ist völlig ohne Nebenwirkungen.",
        "Ist Kollagen wirklich ein Wundermittel für die Gelenke?",
        "Die vermeintliche Wunderpille enthält vor allem Koffein.",
        "Klinisch bewiesen ist die Wirkung bisher nicht.",
        "Hersteller versprechen garantierte Ergebnisse nach zwei Wochen.",
        "Magnesium ist für die meisten Menschen in normalen Mengen sicher.",
    ],
    "fr": [
        "Le collagène n'est pas une panacée pour les articulations.",
        "Aucune étude ne montre que ces patchs sont sans risque.",
        "Le fabricant présente ses gélules comme cliniquement prouvées.",
        "La créatine est considérée comme sans danger chez l'adulte en bonne santé.",
        "L'huile de ricin est-elle vraiment un remède miracle ?",
        "Les sprays de magnésium sont vantés comme une solution miracle pour le sommeil.",
        "Les pédiatres rappellent qu'aucune crème solaire n'est 100 % sûre pour les bébés.",
        "Dans ce petit essai, aucun effet secondaire n'a été signalé.",
        "Rien ne garantit que la méthode fonctionne.",
        "Le jus ne détoxifie pas l'organisme, rappellent les hépatologues.",
    ],
    "es": [
        "El colágeno no es una panacea para las articulaciones.",
        "Ningún estudio demuestra que los parches sean sin riesgo.",
        "El fabricante presenta sus cápsulas como clínicamente probadas.",
        "La creatina se considera segura para adultos sanos.",
        "¿Es el aceite de ricino realmente un remedio milagroso?",
        "Los aerosoles de magnesio se promocionan como una solución milagrosa para dormir.",
        "Los pediatras recuerdan que ningún protector solar es 100 % seguro para bebés.",
        "En este pequeño ensayo no se notificaron efectos secundarios.",
        "Nada garantiza que el método funcione.",
        "El zumo no desintoxica el organismo, recuerdan los hepatólogos.",
    ],
    "it": [
        "Gli esperti avvertono che il collagene non è la panacea per le articolazioni.",
        "Nessuno studio serio dimostra che i cerotti siano privi di rischi.",
        "L'azienda pubblicizza le sue gomme come clinicamente dimostrate.",
        "Il nastro sulla bocca difficilmente è del tutto sicuro per chi soffre di apnee notturne.",
        "La creatina è considerata sicura negli adulti sani alle dosi raccomandate.",
        "Alcuni utenti descrivono il siero come il Santo Graal, "
        "un'affermazione che i dermatologi contestano.",
        "Niente di questa moda garantisce risultati.",
        "L'olio di ricino è davvero un rimedio miracoloso per gli occhi secchi?",
        "Gli spray al magnesio sono promossi online come soluzione miracolosa per il sonno.",
        "La promessa di zero effetti collaterali riportata in etichetta è ingannevole, "
        "secondo l'Antitrust.",
        "I pediatri ricordano che nessuna crema solare è sicura al 100% per i neonati.",
        "Nel piccolo studio, nessun effetto collaterale è emerso dopo quattro settimane.",
        "Il latte crudo non disintossica l'organismo, ricordano gli infettivologi.",
        "Il servizio di screening è garantito gratuitamente a tutte le donne tra 50 e 69 anni.",
        "Sono sicura che i dati verranno pubblicati entro l'estate.",
        "La dieta del gruppo sanguigno è stata bollata come una bufala dai nutrizionisti.",
        "Il Ministero della Salute ha diffuso nuove linee guida sulla vitamina D.",
        "La carne cruda è di moda tra gli influencer del fitness, ma i medici mettono in guardia.",
        "Chi promette di bruciare i grassi con una tisana vende illusioni.",
        "Su Instagram il tè verde viene spacciato per un elisir di lunga vita.",
    ],
    "pt": [
        "Especialistas alertam que o colágeno não é uma panaceia para as articulações.",
        "Nenhum estudo sério mostra que os adesivos sejam livres de riscos.",
        "A empresa anuncia suas gomas como clinicamente comprovadas.",
        "Fita na boca dificilmente é totalmente segura para quem tem apneia do sono.",
        "A creatina é considerada segura para adultos saudáveis nas doses recomendadas.",
        "Algumas usuárias chamam o sérum de santo graal, afirmação contestada por dermatologistas.",
        "Nada nessa tendência garante resultados.",
        "O óleo de rícino é mesmo um remédio milagroso para os olhos secos?",
        "Sprays de magnésio são divulgados na internet como solução milagrosa para o sono.",
        "A promessa de zero efeitos colaterais no rótulo é enganosa, diz a Anvisa.",
        "Pediatras lembram que nenhum protetor solar é 100% seguro para bebês.",
        "No pequeno estudo, nenhum efeito colateral foi observado após quatro semanas.",
        "O suco não desintoxica o fígado, lembram os hepatologistas.",
        "O tratamento é garantido gratuitamente pelo SUS a todas as pacientes.",
        "A médica está absolutamente segura de que o diagnóstico estava certo.",
        "A dieta do tipo sanguíneo foi classificada como mito por nutricionistas.",
        "O Ministério da Saúde divulgou novas orientações sobre a vitamina D.",
        "Comer carne crua virou moda entre influenciadores fitness, "
        "mas médicos alertam para os riscos.",
        "Quem promete queimar gordura com um chá está vendendo ilusão.",
        "No Instagram, o chá verde é vendido como elixir da juventude.",
    ],
}
HELD_OUT_FLAG: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("Mouth taping is a game-changing sleep hack.", "fan-hype"),
        ("These gummies are guaranteed to boost your energy.", "guarantee"),
        ("Beef tallow is a miracle moisturizer for eczema.", "hype"),
        ("The drink flushes out toxins and is totally harmless.", "detox"),
        ("The drink flushes out toxins and is totally harmless.", "absolute-safety"),
        ("Our serum is scientifically proven to erase wrinkles.", "proven-claim"),
        ("Honestly, I am obsessed with this sleepy girl mocktail.", "fan-hype"),
        ("This patch is side-effect-free and works for everyone.", "no-side-effects"),
    ],
    "de": [
        ("Mundtape ist der Gamechanger für besseren Schlaf.", "fan-hype"),
        ("Mit diesen Gummibärchen haben Sie garantiert mehr Energie.", "guarantee"),
        ("Rindertalg ist ein Wundermittel gegen Neurodermitis.", "hype"),
        ("Der Saft entschlackt und ist völlig harmlos.", "detox"),
        ("Der Saft entschlackt und ist völlig harmlos.", "absolute-safety"),
        ("Unser Serum ist wissenschaftlich bewiesen gegen Falten.", "proven-claim"),
        ("Das Pflaster ist nebenwirkungsfrei.", "no-side-effects"),
    ],
    "fr": [
        ("Le scotch sur la bouche est un game changer pour le sommeil.", "fan-hype"),
        ("Ces gummies vous donnent une énergie garantie.", "guarantee"),
        ("Le suif de bœuf est une crème miracle contre l'eczéma.", "hype"),
        ("Ce jus élimine les toxines et est totalement inoffensif.", "detox"),
        ("Ce jus élimine les toxines et est totalement inoffensif.", "absolute-safety"),
        ("Notre sérum est scientifiquement prouvé contre les rides.", "proven-claim"),
        ("Ce patch est sans effets indésirables.", "no-side-effects"),
    ],
    "es": [
        ("La cinta en la boca es un game changer para dormir mejor.", "fan-hype"),
        ("Estas gominolas te dan energía garantizada.", "guarantee"),
        ("El sebo de ternera es una crema milagrosa para el eccema.", "hype"),
        ("Este zumo elimina toxinas y es totalmente inofensivo.", "detox"),
        ("Este zumo elimina toxinas y es totalmente inofensivo.", "absolute-safety"),
        ("Nuestro sérum está científicamente probado contra las arrugas.", "proven-claim"),
        ("Este parche no tiene efectos secundarios.", "no-side-effects"),
    ],
    "it": [
        (
            "Il nastro sulla bocca è il trucco che mancava per dormire: un vero game changer.",
            "fan-hype",
        ),
        ("Queste caramelle gommose ti danno energia garantita.", "guarantee"),
        ("Il sego di manzo è una crema miracolosa contro l'eczema.", "hype"),
        ("Questo succo elimina le tossine ed è totalmente innocuo.", "detox"),
        ("Questo succo elimina le tossine ed è totalmente innocuo.", "absolute-safety"),
        ("Il nostro siero è scientificamente provato contro le rughe.", "proven-claim"),
        ("Questo cerotto non dà alcun effetto collaterale.", "no-side-effects"),
        ("Il latte crudo è un alimento sicuro al 100%, che rafforza le difese.", "absolute-safety"),
        ("Il digiuno intermittente fa miracoli per la pelle.", "hype"),
        ("Sono fissata con questo mocktail della buonanotte, lo bevo ogni sera.", "fan-hype"),
        ("La curcuma cura il cancro e ringiovanisce le cellule.", "cure-claim"),
        ("Bastano due tazze al giorno per depurare l'organismo.", "detox"),
    ],
    "pt": [
        (
            "A fita na boca é o truque que faltava para dormir bem: "
            "um verdadeiro divisor de águas.",
            "fan-hype",
        ),
        ("Essas gomas te dão energia garantida.", "guarantee"),
        ("O sebo bovino é um creme milagroso contra o eczema.", "hype"),
        ("Este suco elimina toxinas e é totalmente inofensivo.", "detox"),
        ("Este suco elimina toxinas e é totalmente inofensivo.", "absolute-safety"),
        ("Nosso sérum é cientificamente comprovado contra as rugas.", "proven-claim"),
        ("Este adesivo não causa nenhum efeito colateral.", "no-side-effects"),
        ("O leite cru é um alimento 100% natural e 100% seguro.", "absolute-safety"),
        ("O jejum intermitente faz milagres pela pele.", "hype"),
        ("Tô viciada nesse mocktail do sono, tomo toda noite.", "fan-hype"),
        ("A cúrcuma cura o câncer e rejuvenesce as células.", "cure-claim"),
        ("Basta uma xícara por dia para limpar o organismo.", "detox"),
    ],
}

BOOK = load_rules()


def rules_for(lang: str) -> list[Rule]:
    found = BOOK.for_language(lang)
    assert found is not None, f"no built-in rules for {lang}"
    return found[1]


def _cases_not() -> list[tuple[str, str]]:
    return [(lang, text) for lang, texts in MUST_NOT_FLAG.items() for text in texts]


def _cases_flag() -> list[tuple[str, str, str]]:
    return [(lang, text, rule) for lang, rows in MUST_FLAG.items() for text, rule in rows]


@pytest.mark.parametrize(("lang", "text"), _cases_not())
def test_must_not_flag(lang: str, text: str) -> None:
    hits = lint(text, rules_for(lang))
    assert hits == [], [(h.rule.id, text[h.start : h.end]) for h in hits]


@pytest.mark.parametrize(("lang", "text", "rule"), _cases_flag())
def test_must_flag_as_warning(lang: str, text: str, rule: str) -> None:
    hits = [h for h in lint(text, rules_for(lang)) if h.rule.id == rule]
    assert hits, f"{rule} not flagged in {text!r}"
    assert all(h.rule.level == "warning" for h in hits)
    assert all(h.excerpt and text[h.start : h.end] in h.excerpt for h in hits)


def test_tables_are_big_enough() -> None:
    """Each shipped language has both tables, of the size the issue asks for."""
    assert set(BOOK.languages) >= {"en", "de", "fr", "es", "it", "pt"}
    for lang in BOOK.languages:
        assert len(MUST_NOT_FLAG[lang]) >= 15, lang
        assert len({text for text, _ in MUST_FLAG[lang]}) >= 10, lang


def scores(
    flag: dict[str, list[tuple[str, str]]] = MUST_FLAG,
    not_flag: dict[str, list[str]] = MUST_NOT_FLAG,
) -> dict[str, tuple[int, int, int, float, float]]:
    """Per language: (true positives, false positives, false negatives, precision, recall).

    A must-flag row counts once (found or missed); every finding in a must-not sentence is a
    false positive.
    """
    result: dict[str, tuple[int, int, int, float, float]] = {}
    for lang in flag:
        rules = rules_for(lang)
        tp = sum(any(h.rule.id == r for h in lint(t, rules)) for t, r in flag[lang])
        fn = len(flag[lang]) - tp
        fp = sum(len(lint(t, rules)) for t in not_flag[lang])
        precision = tp / (tp + fp) if tp + fp else 1.0
        result[lang] = (tp, fp, fn, precision, tp / (tp + fn))
    return result


def test_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    table = scores()
    with capsys.disabled():
        print()
        for lang, (tp, fp, fn, precision, recall) in table.items():
            print(
                f"{lang}: precision {precision:.0%} recall {recall:.0%} (tp {tp} fp {fp} fn {fn})"
            )
    assert all(p == 1.0 and r == 1.0 for *_, p, r in table.values())


if __name__ == "__main__":
    sets = {
        "tables": (MUST_FLAG, MUST_NOT_FLAG),
        "held out": (HELD_OUT_FLAG, HELD_OUT_NOT),
    }
    print("| set | language | sentences | tp | fp | fn | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (flag, not_flag) in sets.items():
        for lang, (tp, fp, fn, precision, recall) in scores(flag, not_flag).items():
            rows = len(flag[lang]) + len(not_flag[lang])
            print(
                f"| {name} | {lang} | {rows} | {tp} | {fp} | {fn} "
                f"| {precision:.0%} | {recall:.0%} |"
            )
    for lang in HELD_OUT_NOT:
        for text in HELD_OUT_NOT[lang]:
            for hit in lint(text, rules_for(lang)):
                print(f"held-out false positive ({lang}, {hit.rule.id}): {text}")
        for text, rule in HELD_OUT_FLAG[lang]:
            if not any(h.rule.id == rule for h in lint(text, rules_for(lang))):
                print(f"held-out miss ({lang}, {rule}): {text}")
